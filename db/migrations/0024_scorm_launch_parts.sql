-- Launches are short-lived tokens: the table is made again with its new columns (SQLite cannot add NOT NULL columns).
DROP TABLE `scorm_launches`;--> statement-breakpoint
CREATE TABLE `scorm_launches` (
	`token` text PRIMARY KEY NOT NULL,
	`package_sha256` text NOT NULL,
	`user_id` integer NOT NULL,
	`href` text NOT NULL,
	`lesson_id` integer,
	`parent_origin` text NOT NULL,
	`expires_at` integer NOT NULL,
	FOREIGN KEY (`package_sha256`) REFERENCES `scorm_packages`(`sha256`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `scorm_launches_expires_idx` ON `scorm_launches` (`expires_at`);
