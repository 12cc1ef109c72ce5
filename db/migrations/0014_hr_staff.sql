CREATE TABLE `staff_imports` (
	`id` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`created_by` integer NOT NULL,
	`created_at` integer NOT NULL,
	`file_name` text NOT NULL,
	`encoding` text NOT NULL,
	`lines` text NOT NULL,
	`applied_at` integer,
	`created_ids` text,
	FOREIGN KEY (`created_by`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE no action
);
--> statement-breakpoint
CREATE INDEX `staff_imports_creator_idx` ON `staff_imports` (`created_by`);--> statement-breakpoint
ALTER TABLE `users` ADD `personal_number` text;--> statement-breakpoint
ALTER TABLE `users` ADD `dismissed_at` integer;--> statement-breakpoint
CREATE UNIQUE INDEX `users_personal_number_uq` ON `users` (`personal_number`);