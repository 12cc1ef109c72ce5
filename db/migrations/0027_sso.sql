ALTER TABLE `organisations` ADD `password_login_off_at` integer;--> statement-breakpoint
ALTER TABLE `users` ADD `sso_subject` text;--> statement-breakpoint
CREATE UNIQUE INDEX `users_sso_subject_uq` ON `users` (`sso_subject`);