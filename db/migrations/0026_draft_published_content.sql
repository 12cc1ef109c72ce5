ALTER TABLE `course_drafts` ADD `published_content` text;--> statement-breakpoint
-- a published draft's content is what its publish made (drafts are edited again only after draftFromPublished)
UPDATE `course_drafts` SET `published_content` = `content` WHERE `state` = 'published';
