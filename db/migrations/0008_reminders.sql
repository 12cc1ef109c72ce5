CREATE TABLE `reminders_sent` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`recipient` text NOT NULL,
	`recipient_email` text NOT NULL,
	`kind` text NOT NULL,
	`due_date` text NOT NULL,
	`sent_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `reminders_sent_once_uq` ON `reminders_sent` (`user_id`,`recipient_email`,`kind`,`due_date`);--> statement-breakpoint
CREATE INDEX `reminders_sent_user_idx` ON `reminders_sent` (`user_id`);