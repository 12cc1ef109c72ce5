CREATE TABLE `course_versions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`number` integer NOT NULL,
	`hours` integer NOT NULL,
	`completion` text NOT NULL,
	`repeatable` integer NOT NULL,
	`enrolment` text NOT NULL,
	`package_hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_versions_course_number_uq` ON `course_versions` (`course_id`,`number`);--> statement-breakpoint
CREATE TABLE `media` (
	`sha256` text PRIMARY KEY NOT NULL,
	`content_type` text NOT NULL,
	`bytes` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `enrolments` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`source` text NOT NULL,
	`assigned_by` integer,
	`due_date` text,
	`status` text NOT NULL,
	`enrolled_at` integer NOT NULL,
	`completed_at` integer,
	`withdrawn_at` integer,
	`hours_earned` integer,
	`last_lesson_id` integer,
	`feedback_rating` integer,
	`feedback_comment` text,
	`feedback_at` integer,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `course_versions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`assigned_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`last_lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `enrolments_user_idx` ON `enrolments` (`user_id`);--> statement-breakpoint
CREATE INDEX `enrolments_course_idx` ON `enrolments` (`course_id`);--> statement-breakpoint
CREATE UNIQUE INDEX `enrolments_one_active_uq` ON `enrolments` (`user_id`,`course_id`) WHERE status = 'active';--> statement-breakpoint
CREATE TABLE `lesson_progress` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrolment_id` integer NOT NULL,
	`lesson_slug` text NOT NULL,
	`content_hash` text NOT NULL,
	`watched` text NOT NULL,
	`position_seconds` real NOT NULL,
	`seq` integer NOT NULL,
	`viewed_at` integer,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `lesson_progress_uq` ON `lesson_progress` (`enrolment_id`,`lesson_slug`,`content_hash`);--> statement-breakpoint
ALTER TABLE `course_modules` ADD `version_id` integer REFERENCES course_versions(id);--> statement-breakpoint
CREATE INDEX `course_modules_version_idx` ON `course_modules` (`version_id`);--> statement-breakpoint
ALTER TABLE `courses` ADD `current_version_id` integer;--> statement-breakpoint
ALTER TABLE `lessons` ADD `doc_ky` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `doc_ru` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `video` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `attachments` text;--> statement-breakpoint
ALTER TABLE `lessons` ADD `content_hash` text;