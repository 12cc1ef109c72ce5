/**
 * Learning: enrolment (self, HR, plan) with eligibility, lessons, viewing progress and completion.
 * Every write runs in one transaction on a WAL database with synchronous=FULL, so an acknowledged
 * save survives a killed process. The module's face: its parts live in the files below, by concern.
 */
import { provide } from '@server/lib/hooks';
import { settleCourseCompletion } from './progress';
import { enrolmentInCourse } from './reads';
import { scormStartState } from './scorm-lessons';
import { moveActiveEnrolments } from './versions';

export * from './reads';
export * from './enrolment';
export * from './progress';
export * from './scorm-lessons';
export * from './learner-views';
export * from './versions';

provide('currentEnrolment', enrolmentInCourse);
provide('scormStartState', scormStartState);
provide('settleCourseCompletion', settleCourseCompletion);
provide('courseVersionCreated', moveActiveEnrolments);
