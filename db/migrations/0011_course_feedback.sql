CREATE TABLE `course_feedback` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`enrolment_id` integer NOT NULL,
	`course_id` integer NOT NULL,
	`version_id` integer NOT NULL,
	`relevance` integer,
	`clarity` integer,
	`usefulness` integer,
	`trainer` integer,
	`legacy_rating` integer,
	`comment` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`enrolment_id`) REFERENCES `enrolments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`version_id`) REFERENCES `course_versions`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `course_feedback_enrolment_uq` ON `course_feedback` (`enrolment_id`);--> statement-breakpoint
CREATE INDEX `course_feedback_course_idx` ON `course_feedback` (`course_id`,`version_id`);--> statement-breakpoint
-- The single-rating feedback kept on enrolments moves here, one row per enrolment, before its columns go.
INSERT INTO `course_feedback` (`enrolment_id`, `course_id`, `version_id`, `legacy_rating`, `comment`, `created_at`)
SELECT `id`, `course_id`, `version_id`, `feedback_rating`, `feedback_comment`, `feedback_at` FROM `enrolments` WHERE `feedback_at` IS NOT NULL;--> statement-breakpoint
ALTER TABLE `enrolments` DROP COLUMN `feedback_rating`;--> statement-breakpoint
ALTER TABLE `enrolments` DROP COLUMN `feedback_comment`;--> statement-breakpoint
ALTER TABLE `enrolments` DROP COLUMN `feedback_at`;