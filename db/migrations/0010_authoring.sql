CREATE TABLE `course_drafts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`slug` text NOT NULL,
	`course_id` integer,
	`base_version_id` integer,
	`state` text DEFAULT 'draft' NOT NULL,
	`content` text NOT NULL,
	`revision` integer DEFAULT 1 NOT NULL,
	`created_by` integer,
	`updated_by` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	`published_version_id` integer,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`updated_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_drafts_slug_uq` ON `course_drafts` (`slug`);--> statement-breakpoint
CREATE INDEX `course_drafts_created_by_idx` ON `course_drafts` (`created_by`);--> statement-breakpoint
CREATE INDEX `course_drafts_state_idx` ON `course_drafts` (`state`);