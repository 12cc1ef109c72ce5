ALTER TABLE `password_resets` ADD `purpose` text DEFAULT 'reset' NOT NULL;--> statement-breakpoint
-- Links made before this migration carry no purpose. An unused one made by someone who is not an
-- administrator was an HR invitation: mark it so, so that it can no longer set the password of an
-- account that has one or holds a role beyond learner (issue 15).
UPDATE `password_resets` SET `purpose` = 'invitation'
WHERE `used_at` IS NULL AND (`created_by` IS NULL OR `created_by` NOT IN (SELECT `user_id` FROM `user_roles` WHERE `role` = 'admin'));
