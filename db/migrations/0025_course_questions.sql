CREATE TABLE `course_questions` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`course_id` integer NOT NULL,
	`lesson_id` integer,
	`lesson_slug` text NOT NULL,
	`asker_id` integer NOT NULL,
	`body` text NOT NULL,
	`created_at` integer NOT NULL,
	`answer` text,
	`answered_by` integer,
	`answered_at` integer,
	`hidden_at` integer,
	`hidden_by` integer,
	FOREIGN KEY (`course_id`) REFERENCES `courses`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`lesson_id`) REFERENCES `lessons`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`asker_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`answered_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null,
	FOREIGN KEY (`hidden_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE set null
);
--> statement-breakpoint
CREATE INDEX `course_questions_course_idx` ON `course_questions` (`course_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `course_questions_asker_idx` ON `course_questions` (`asker_id`,`created_at`);