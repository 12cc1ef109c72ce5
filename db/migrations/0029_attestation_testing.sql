CREATE TABLE `attestation_seats` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`session_id` integer NOT NULL,
	`person_id` integer NOT NULL,
	`attempt_id` integer,
	`device_hash` text,
	`entered_at` integer NOT NULL,
	`device_at` integer,
	`released_at` integer,
	`released_by` integer,
	FOREIGN KEY (`session_id`) REFERENCES `attestation_sessions`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`person_id`) REFERENCES `attestation_people`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`released_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestation_seats_person_uq` ON `attestation_seats` (`person_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `attestation_seats_attempt_uq` ON `attestation_seats` (`attempt_id`);--> statement-breakpoint
CREATE INDEX `attestation_seats_session_idx` ON `attestation_seats` (`session_id`);--> statement-breakpoint
CREATE TABLE `attestation_sessions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`campaign_id` integer NOT NULL,
	`quiz_id` integer NOT NULL,
	`place` text,
	`starts_at` integer NOT NULL,
	`ends_at` integer NOT NULL,
	`code` text NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`campaign_id`) REFERENCES `attestation_campaigns`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `attestation_sessions_code_uq` ON `attestation_sessions` (`code`);--> statement-breakpoint
CREATE INDEX `attestation_sessions_campaign_idx` ON `attestation_sessions` (`campaign_id`);