-- The catalog's generation: a value that changes with every committed write to the catalog tables,
-- read by the in-process catalog cache (server/modules/catalog/service.ts) to know that what it holds
-- is still current, whichever connection or process wrote. Random rather than n + 1, so that a
-- rolled-back import never leaves behind a value that a later import reaches again.
CREATE TABLE `catalog_generation` (
	`id` integer PRIMARY KEY NOT NULL CHECK (`id` = 1),
	`value` integer NOT NULL
);
--> statement-breakpoint
INSERT INTO `catalog_generation` (`id`, `value`) VALUES (1, random());
--> statement-breakpoint
CREATE TRIGGER `courses_insert_generation` AFTER INSERT ON `courses`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `courses_update_generation` AFTER UPDATE ON `courses`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `courses_delete_generation` AFTER DELETE ON `courses`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `course_versions_insert_generation` AFTER INSERT ON `course_versions`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `course_versions_update_generation` AFTER UPDATE ON `course_versions`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `course_versions_delete_generation` AFTER DELETE ON `course_versions`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `course_modules_insert_generation` AFTER INSERT ON `course_modules`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `course_modules_update_generation` AFTER UPDATE ON `course_modules`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `course_modules_delete_generation` AFTER DELETE ON `course_modules`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `lessons_insert_generation` AFTER INSERT ON `lessons`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `lessons_update_generation` AFTER UPDATE ON `lessons`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
--> statement-breakpoint
CREATE TRIGGER `lessons_delete_generation` AFTER DELETE ON `lessons`
BEGIN
  UPDATE `catalog_generation` SET `value` = random() WHERE `id` = 1;
END;
