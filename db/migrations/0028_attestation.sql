CREATE TABLE `attestation_campaigns` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`kind` text NOT NULL,
	`status` text DEFAULT 'draft' NOT NULL,
	`title_ky` text NOT NULL,
	`title_ru` text NOT NULL,
	`posts` text NOT NULL,
	`region` text NOT NULL,
	`requirements` text,
	`stage1_from` text NOT NULL,
	`stage1_to` text NOT NULL,
	`stage2_from` text NOT NULL,
	`stage2_to` text NOT NULL,
	`stage3_from` text NOT NULL,
	`stage3_to` text NOT NULL,
	`criteria` text NOT NULL,
	`quality_thresholds` text DEFAULT '{}' NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attestation_campaigns_status_idx` ON `attestation_campaigns` (`status`,`kind`);--> statement-breakpoint
CREATE TABLE `attestation_commission` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `attestation_campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestation_commission_uq` ON `attestation_commission` (`campaign_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `attestation_commission_user_idx` ON `attestation_commission` (`user_id`);--> statement-breakpoint
CREATE TABLE `attestation_documents` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`author_id` integer NOT NULL,
	`note` text,
	`file` text,
	`file_name` text,
	`file_type` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `attestation_people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`author_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `attestation_documents_person_idx` ON `attestation_documents` (`person_id`);--> statement-breakpoint
CREATE TABLE `attestation_people` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`post` text NOT NULL,
	`added_at` integer NOT NULL,
	`stage1_status` text DEFAULT 'pending' NOT NULL,
	`stage1_reason` text,
	`stage1_at` integer,
	`stage1_by` integer,
	`stage2_status` text DEFAULT 'pending' NOT NULL,
	`stage2_at` integer,
	`law_score_percent` real,
	`law_passed` integer,
	`qualities_profile` text,
	`weak_topics` text,
	`decision` text,
	`recommended_to_reserve` integer DEFAULT false NOT NULL,
	`votes_for` integer,
	`votes_against` integer,
	`decision_at` integer,
	`decision_by` integer,
	FOREIGN KEY (`campaign_id`) REFERENCES `attestation_campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`stage1_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`decision_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestation_people_uq` ON `attestation_people` (`campaign_id`,`user_id`);--> statement-breakpoint
CREATE INDEX `attestation_people_user_idx` ON `attestation_people` (`user_id`);--> statement-breakpoint
CREATE TABLE `attestation_scores` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`person_id` integer NOT NULL,
	`member_id` integer NOT NULL,
	`scores` text NOT NULL,
	`comment` text,
	`submitted_at` integer NOT NULL,
	FOREIGN KEY (`person_id`) REFERENCES `attestation_people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestation_scores_uq` ON `attestation_scores` (`person_id`,`member_id`);--> statement-breakpoint
CREATE TABLE `reserve_entries` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`campaign_id` integer NOT NULL,
	`post` text NOT NULL,
	`region` text NOT NULL,
	`entered_on` text NOT NULL,
	`published_at` integer,
	`removed_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`person_id`) REFERENCES `attestation_people`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`campaign_id`) REFERENCES `attestation_campaigns`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reserve_entries_person_uq` ON `reserve_entries` (`person_id`);--> statement-breakpoint
CREATE INDEX `reserve_entries_region_idx` ON `reserve_entries` (`region`,`post`);