CREATE TABLE `quiz_attempt_items` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`attempt_id` integer NOT NULL,
	`position` integer NOT NULL,
	`question_id` integer NOT NULL,
	`option_order` text,
	`response` text,
	`seq` integer DEFAULT 0 NOT NULL,
	`saved_at` integer,
	`mark` real NOT NULL,
	`fraction` real,
	`rubric_points` text,
	`comment` text,
	`graded_by` integer,
	`graded_at` integer,
	FOREIGN KEY (`attempt_id`) REFERENCES `quiz_attempts`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`question_id`) REFERENCES `quiz_questions`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`graded_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_attempt_items_uq` ON `quiz_attempt_items` (`attempt_id`,`question_id`);--> statement-breakpoint
CREATE INDEX `quiz_attempt_items_question_idx` ON `quiz_attempt_items` (`question_id`);--> statement-breakpoint
CREATE TABLE `quiz_attempts` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`quiz_id` integer NOT NULL,
	`user_id` integer NOT NULL,
	`number` integer NOT NULL,
	`status` text NOT NULL,
	`started_at` integer NOT NULL,
	`deadline_at` integer,
	`finished_at` integer,
	`closed_by` text,
	`score` real,
	`max_score` real NOT NULL,
	`percent` real,
	`passed` integer,
	`needs_grading` integer DEFAULT false NOT NULL,
	FOREIGN KEY (`quiz_id`) REFERENCES `quizzes`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_attempts_number_uq` ON `quiz_attempts` (`user_id`,`quiz_id`,`number`);--> statement-breakpoint
CREATE INDEX `quiz_attempts_open_idx` ON `quiz_attempts` (`status`,`deadline_at`);--> statement-breakpoint
CREATE INDEX `quiz_attempts_quiz_idx` ON `quiz_attempts` (`quiz_id`,`status`);--> statement-breakpoint
CREATE TABLE `quiz_categories` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`slug` text NOT NULL,
	`title_ky` text NOT NULL,
	`title_ru` text NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_categories_uq` ON `quiz_categories` (`course_id`,`slug`);--> statement-breakpoint
CREATE TABLE `quiz_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`slug` text NOT NULL,
	`version` integer NOT NULL,
	`current` integer NOT NULL,
	`category` text NOT NULL,
	`tags` text NOT NULL,
	`kind` text NOT NULL,
	`stem_ky` text NOT NULL,
	`stem_ru` text NOT NULL,
	`options` text NOT NULL,
	`feedback_ky` text,
	`feedback_ru` text,
	`mark` real NOT NULL,
	`hash` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quiz_questions_version_uq` ON `quiz_questions` (`course_id`,`slug`,`version`);--> statement-breakpoint
CREATE INDEX `quiz_questions_pool_idx` ON `quiz_questions` (`course_id`,`category`,`current`);--> statement-breakpoint
CREATE TABLE `quizzes` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`slug` text NOT NULL,
	`kind` text NOT NULL,
	`module_position` integer,
	`title_ky` text NOT NULL,
	`title_ru` text NOT NULL,
	`intro_ky` text,
	`intro_ru` text,
	`draw` text NOT NULL,
	`shuffle_questions` integer NOT NULL,
	`shuffle_options` integer NOT NULL,
	`time_limit_seconds` integer,
	`attempts_allowed` integer,
	`grading_method` text NOT NULL,
	`pass_percent` real NOT NULL,
	`opens_at` integer,
	`closes_at` integer,
	`review` text NOT NULL,
	`active` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `quizzes_slug_uq` ON `quizzes` (`course_id`,`slug`);