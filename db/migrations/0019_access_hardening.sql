CREATE TABLE `draft_media` (
	`draft_id` integer NOT NULL,
	`sha256` text NOT NULL,
	FOREIGN KEY (`draft_id`) REFERENCES `course_drafts`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `draft_media_uq` ON `draft_media` (`sha256`,`draft_id`);--> statement-breakpoint
ALTER TABLE `media` ADD `published_at` integer;--> statement-breakpoint
ALTER TABLE `password_resets` ADD `purpose` text DEFAULT 'reset' NOT NULL;--> statement-breakpoint
-- Links made before this migration carry no purpose. An unused one made by someone who is not an
-- administrator was an HR invitation: mark it so, so that it can no longer set the password of an
-- account that has one or holds a role beyond learner (issue 15).
UPDATE `password_resets` SET `purpose` = 'invitation'
WHERE `used_at` IS NULL AND (`created_by` IS NULL OR `created_by` NOT IN (SELECT `user_id` FROM `user_roles` WHERE `role` = 'admin'));
--> statement-breakpoint
-- Files a course version already uses are published; the rest belong to drafts only.
UPDATE `media` SET `published_at` = `created_at`
WHERE EXISTS (SELECT 1 FROM `lessons` WHERE instr(coalesce(`video`, '') || coalesce(`attachments`, '') || coalesce(`doc_ky`, '') || coalesce(`doc_ru`, ''), `media`.`sha256`) > 0);
--> statement-breakpoint
-- Files drafts already use, linked to those drafts (for their authors, until published).
INSERT OR IGNORE INTO `draft_media` (`draft_id`, `sha256`)
SELECT `d`.`id`, `m`.`sha256` FROM `course_drafts` `d` JOIN `media` `m` ON instr(`d`.`content`, `m`.`sha256`) > 0 WHERE `m`.`published_at` IS NULL;
