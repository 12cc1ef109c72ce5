CREATE TABLE `outside_trainings` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`user_id` integer NOT NULL,
	`kind` text NOT NULL,
	`term` text NOT NULL,
	`funding` text NOT NULL,
	`title` text NOT NULL,
	`provider` text NOT NULL,
	`hours` integer NOT NULL,
	`start_date` text NOT NULL,
	`end_date` text NOT NULL,
	`order_number` text,
	`order_date` text,
	`scan_file` text,
	`scan_name` text,
	`scan_type` text,
	`status` text NOT NULL,
	`reject_reason` text,
	`reviewed_by` integer,
	`reviewed_at` integer,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`reviewed_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `outside_trainings_user_idx` ON `outside_trainings` (`user_id`);--> statement-breakpoint
CREATE INDEX `outside_trainings_status_idx` ON `outside_trainings` (`status`);