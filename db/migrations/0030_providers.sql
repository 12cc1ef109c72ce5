-- Training providers become organisations of the tree (kind `provider`): courses and trainers point at
-- one, drafts name one by its id. Today's free-text providers (courses.provider_ky/_ru and the
-- `manifest.provider` of drafts, as written and as last published) are mapped onto organisations:
-- names that share a Kyrgyz or a Russian name are one provider (connected, however long the chain);
-- each such provider is an existing organisation of kind `provider` with one of those names when there
-- is one (the oldest), otherwise a new one (state service, Bishkek, no code: an administrator sets
-- them). Trainers whose organisation is a provider write for it.
ALTER TABLE `users` ADD `provider_id` integer REFERENCES organisations(id);--> statement-breakpoint
ALTER TABLE `courses` ADD `provider_id` integer REFERENCES organisations(id);--> statement-breakpoint
CREATE INDEX `courses_provider_idx` ON `courses` (`provider_id`);--> statement-breakpoint
-- Every place a free-text provider is written: `c:` a course, `d:` a draft, `p:` a draft's published content.
CREATE TEMP TABLE `provider_names` AS
SELECT `ref`, nullif(trim(`ky`), '') AS `ky`, nullif(trim(`ru`), '') AS `ru` FROM (
  SELECT 'c:' || `id` AS `ref`, `provider_ky` AS `ky`, `provider_ru` AS `ru` FROM `courses`
  UNION ALL
  SELECT 'd:' || `id`, json_extract(`content`, '$.manifest.provider.ky'), json_extract(`content`, '$.manifest.provider.ru') FROM `course_drafts` WHERE json_type(`content`, '$.manifest.provider') = 'object'
  UNION ALL
  SELECT 'p:' || `id`, json_extract(`published_content`, '$.manifest.provider.ky'), json_extract(`published_content`, '$.manifest.provider.ru') FROM `course_drafts` WHERE json_type(`published_content`, '$.manifest.provider') = 'object'
) WHERE nullif(trim(`ky`), '') IS NOT NULL OR nullif(trim(`ru`), '') IS NOT NULL;--> statement-breakpoint
-- The provider each place belongs to: the smallest place reachable through a shared name.
CREATE TEMP TABLE `provider_groups` AS
WITH RECURSIVE `reach`(`src`, `dst`) AS (
  SELECT `ref`, `ref` FROM `provider_names`
  UNION
  SELECT `reach`.`src`, `b`.`ref` FROM `reach`
    JOIN `provider_names` `a` ON `a`.`ref` = `reach`.`dst`
    JOIN `provider_names` `b` ON `b`.`ky` = `a`.`ky` OR `b`.`ru` = `a`.`ru`
)
SELECT `src` AS `ref`, min(`dst`) AS `grp` FROM `reach` GROUP BY `src`;--> statement-breakpoint
-- Each provider: its names (the first written of each language) and the organisation it maps to.
CREATE TEMP TABLE `provider_orgs` AS
SELECT `g`.`grp`,
  (SELECT `n`.`ky` FROM `provider_names` `n` JOIN `provider_groups` `x` ON `x`.`ref` = `n`.`ref` WHERE `x`.`grp` = `g`.`grp` AND `n`.`ky` IS NOT NULL ORDER BY `n`.`ref` LIMIT 1) AS `ky`,
  (SELECT `n`.`ru` FROM `provider_names` `n` JOIN `provider_groups` `x` ON `x`.`ref` = `n`.`ref` WHERE `x`.`grp` = `g`.`grp` AND `n`.`ru` IS NOT NULL ORDER BY `n`.`ref` LIMIT 1) AS `ru`,
  (SELECT min(`o`.`id`) FROM `organisations` `o` WHERE `o`.`kind` = 'provider' AND EXISTS (
    SELECT 1 FROM `provider_names` `n` JOIN `provider_groups` `x` ON `x`.`ref` = `n`.`ref`
    WHERE `x`.`grp` = `g`.`grp` AND (`n`.`ky` = `o`.`name_ky` OR `n`.`ru` = `o`.`name_ru`))) AS `org_id`
FROM (SELECT DISTINCT `grp` FROM `provider_groups`) `g`;--> statement-breakpoint
INSERT INTO `organisations` (`kind`, `service`, `region`, `name_ky`, `name_ru`, `code`, `created_at`)
SELECT 'provider', 'state', 'bishkek', coalesce(`ky`, `ru`), coalesce(`ru`, `ky`), NULL, CAST((julianday('now') - 2440587.5) * 86400000 AS integer)
FROM `provider_orgs` WHERE `org_id` IS NULL ORDER BY `grp`;--> statement-breakpoint
UPDATE `provider_orgs` SET `org_id` = (
  SELECT max(`o`.`id`) FROM `organisations` `o`
  WHERE `o`.`kind` = 'provider' AND `o`.`name_ky` = coalesce(`provider_orgs`.`ky`, `provider_orgs`.`ru`) AND `o`.`name_ru` = coalesce(`provider_orgs`.`ru`, `provider_orgs`.`ky`)
) WHERE `org_id` IS NULL;--> statement-breakpoint
UPDATE `courses` SET `provider_id` = (
  SELECT `p`.`org_id` FROM `provider_groups` `g` JOIN `provider_orgs` `p` ON `p`.`grp` = `g`.`grp` WHERE `g`.`ref` = 'c:' || `courses`.`id`
);--> statement-breakpoint
UPDATE `course_drafts` SET `content` = CASE
  WHEN EXISTS (SELECT 1 FROM `provider_groups` WHERE `ref` = 'd:' || `course_drafts`.`id`)
  THEN json_set(`content`, '$.manifest.provider', (SELECT `p`.`org_id` FROM `provider_groups` `g` JOIN `provider_orgs` `p` ON `p`.`grp` = `g`.`grp` WHERE `g`.`ref` = 'd:' || `course_drafts`.`id`))
  ELSE json_remove(`content`, '$.manifest.provider') END
WHERE json_type(`content`, '$.manifest.provider') IS NOT NULL;--> statement-breakpoint
UPDATE `course_drafts` SET `published_content` = CASE
  WHEN EXISTS (SELECT 1 FROM `provider_groups` WHERE `ref` = 'p:' || `course_drafts`.`id`)
  THEN json_set(`published_content`, '$.manifest.provider', (SELECT `p`.`org_id` FROM `provider_groups` `g` JOIN `provider_orgs` `p` ON `p`.`grp` = `g`.`grp` WHERE `g`.`ref` = 'p:' || `course_drafts`.`id`))
  ELSE json_remove(`published_content`, '$.manifest.provider') END
WHERE `published_content` IS NOT NULL AND json_type(`published_content`, '$.manifest.provider') IS NOT NULL;--> statement-breakpoint
UPDATE `users` SET `provider_id` = `organisation_id`
WHERE `organisation_id` IN (SELECT `id` FROM `organisations` WHERE `kind` = 'provider' AND `closed_at` IS NULL)
  AND `id` IN (SELECT `user_id` FROM `user_roles` WHERE `role` = 'trainer');--> statement-breakpoint
DROP TABLE `provider_orgs`;--> statement-breakpoint
DROP TABLE `provider_groups`;--> statement-breakpoint
DROP TABLE `provider_names`;--> statement-breakpoint
ALTER TABLE `courses` DROP COLUMN `provider_ky`;--> statement-breakpoint
ALTER TABLE `courses` DROP COLUMN `provider_ru`;--> statement-breakpoint
-- A provider's new name shows at once wherever its courses are (the catalog cache holds the names).
CREATE TRIGGER `provider_names_generation` AFTER UPDATE OF `name_ky`, `name_ru` ON `organisations` WHEN NEW.`kind` = 'provider'
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
