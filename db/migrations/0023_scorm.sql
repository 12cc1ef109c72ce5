CREATE TABLE `scorm_launches` (
	`token` text PRIMARY KEY NOT NULL,
	`package_sha256` text NOT NULL,
	`user_id` integer NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`package_sha256`) REFERENCES `scorm_packages`(`sha256`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scorm_launches_expires_idx` ON `scorm_launches` (`expires_at`);--> statement-breakpoint
CREATE TABLE `scorm_packages` (
	`sha256` text PRIMARY KEY NOT NULL,
	`version` text NOT NULL,
	`title` text NOT NULL,
	`scos` text NOT NULL,
	`bytes` integer NOT NULL,
	`unpacked_bytes` integer NOT NULL,
	`files` integer NOT NULL,
	`created_by` integer,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE TABLE `scorm_runtime` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrolment_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`lesson_slug` text NOT NULL,
	`content_hash` text NOT NULL,
	`seq` integer NOT NULL,
	`cmi` text NOT NULL,
	`completion` text NOT NULL,
	`success` text NOT NULL,
	`score` real,
	`completed_at` integer,
	`passed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `scorm_runtime_key_uq` ON `scorm_runtime` (`enrolment_id`,`lesson_slug`,`content_hash`);--> statement-breakpoint
CREATE INDEX `scorm_runtime_user_idx` ON `scorm_runtime` (`user_id`);--> statement-breakpoint
ALTER TABLE `lessons` ADD `scorm` text;