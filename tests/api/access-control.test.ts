/**
 * Access control, generated from /api/openapi.json: every route × every role against the expectation
 * table below. A route the API documents without a line here fails the suite, and so does a line for a
 * route that no longer exists. Every request runs inside a rolled-back transaction, so each one sees
 * the same fixtures (tests/security.ts builds them: the learner's enrolment, attempts, outside
 * training, certificate; another body's HR officer; a reset link…).
 *
 * HOW TO ADD A ROUTE: one line in ACCESS, columns in the order of the header comment. A cell is the
 * expected status, or 'A|B' when either is right (say why in a comment). The request sent is the
 * route's entry in VALID_REQUESTS (tests/security.ts: real ids and a valid body); without one, path
 * parameters get a nonexistent id (999999) and there is no body — add an entry to test the right
 * role's 2xx rather than its 404/400.
 */
import { beforeAll, describe, expect, it, vi } from 'vitest';
import { call } from '../helpers';
import {
  buildFixtures, fillPath, openapiOperations, outsideFields, PDF_BYTES, rolledBack, ROLES, send, VALID_REQUESTS,
  type Fixtures, type Operation,
} from '../security';

type Cell = number | `${number}|${number}`;
type Row = [route: string, anon: Cell, learner: Cell, trainer: Cell, hr: Cell, hrOther: Cell, reviewer: Cell, admin: Cell];

// prettier-ignore
const ACCESS: Row[] = [
  // route                                          anon learner trainer hr  hrOther reviewer admin
  // ---- public ----
  ['GET /api/health',                               200, 200, 200, 200, 200, 200, 200],
  ['GET /api/courses',                              200, 200, 200, 200, 200, 200, 200],
  ['GET /api/courses/{slug}',                       200, 200, 200, 200, 200, 200, 200],
  ['GET /api/courses/{slug}/quizzes',               200, 200, 200, 200, 200, 200, 200],
  ['GET /api/certificates/{code}/verify',           200, 200, 200, 200, 200, 200, 200],
  ['POST /api/auth/login',                          200, 200, 200, 200, 200, 200, 200],
  // a valid one-time link sets the password whoever sends it: the token is the proof
  ['POST /api/auth/password-reset',                 200, 200, 200, 200, 200, 200, 200],
  // the same answer whoever asks and whether the e-mail exists or not
  ['POST /api/auth/forgot',                         202, 202, 202, 202, 202, 202, 202],
  // a citizen registers for reserve competitions: the same answer whoever asks and whatever the e-mail
  ['POST /api/auth/register',                       202, 202, 202, 202, 202, 202, 202],
  ['GET /api/competitions',                         200, 200, 200, 200, 200, 200, 200],
  // the secret address is the proof; an unknown one is 404 for everyone
  ['GET /api/calendar/{file}',                      404, 404, 404, 404, 404, 404, 404],
  // single sign-on: browser navigations, every answer a redirect (here: no provider configured → back to the sign-in page)
  ['GET /api/auth/sso/start',                       303, 303, 303, 303, 303, 303, 303],
  ['GET /api/auth/sso/callback',                    303, 303, 303, 303, 303, 303, 303],
  // ---- any signed-in user ----
  ['POST /api/auth/logout',                         401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me',                                   401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/certificates',                      401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/record',                            401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/record.pdf',                        401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/notifications',                     401, 200, 200, 200, 200, 200, 200],
  // one's own only: a notification that is not yours (here: none with that id) is 404
  ['POST /api/me/notifications/{id}/read',          401, 404, 404, 404, 404, 404, 404],
  ['POST /api/me/notifications/read-all',           401, 200, 200, 200, 200, 200, 200],
  ['GET /api/me/notification-preferences',          401, 200, 200, 200, 200, 200, 200],
  ['PUT /api/me/notification-preferences',          401, 200, 200, 200, 200, 200, 200],
  ['POST /api/me/password',                         401, 200, 200, 200, 200, 200, 200],
  ['PUT /api/me/locale',                            401, 200, 200, 200, 200, 200, 200],
  ['POST /api/me/calendar',                         401, 200, 200, 200, 200, 200, 200],
  ['GET /api/media/{sha256}',                       401, 200, 200, 200, 200, 200, 200],
  ['GET /api/quizzes/{id}',                         401, 200, 200, 200, 200, 200, 200],
  // the holder, HR over the holder, reviewer and admin; anyone else is told it does not exist
  ['GET /api/certificates/{file}',                  401, 200, 404, 200, 404, 200, 200],
  // for yourself, or as HR for your own servants (here: userId = the learner)
  ['POST /api/records/outside',                     401, 201, 404, 201, 404, 404, 404],
  ['GET /api/records/outside/{id}/scan',            401, 200, 404, 200, 404, 404, 404],
  // the learner's own self-enrolment, or HR over the learner
  ['POST /api/enrolments/{id}/withdrawal',          401, 200, 404, 200, 404, 404, 404],
  // staff (trainer, reviewer, admin) see any attempt; other learners are told it does not exist
  ['GET /api/attempts/{id}',                        401, 200, 200, 404, 404, 200, 200],
  // staff see any finished attempt's result with the review; other learners are told it does not exist
  ['GET /api/attempts/{id}/result',                 401, 200, 200, 404, 404, 200, 200],
  // ---- learners ----
  ['GET /api/me/enrolments',                        401, 200, 200, 200, 200, 403, 403],
  // the learner is already enrolled (200); the trainer's profile has no service or group (403 eligibility_profile_incomplete)
  ['POST /api/courses/{slug}/enrolments',           401, 200, 403, 201, 201, 403, 403],
  // learners not enrolled in the lesson's course: 403 not_enrolled
  ['POST /api/lessons/{id}/progress',               401, 200, 403, 403, 403, 403, 403],
  // a SCORM lesson's runtime data: the enrolled learner's own, nobody else's
  ['GET /api/lessons/{id}/scorm',                   401, 200, 403, 403, 403, 403, 403],
  ['PUT /api/lessons/{id}/scorm',                   401, 200, 403, 403, 403, 403, 403],
  // Q&A: the enrolled learner asks from a lesson and reads their own questions; nobody else is enrolled (403 not_enrolled)
  ['POST /api/courses/{slug}/lessons/{lesson}/questions', 401, 201, 403, 403, 403, 403, 403],
  ['GET /api/courses/{slug}/lessons/{lesson}/questions',  401, 200, 403, 403, 403, 403, 403],
  // trainers see their courses' questions, the academy every course's; learners and HR have no list
  ['GET /api/questions',                            401, 403, 200, 403, 403, 200, 200],
  // the course's trainer (nobody wrote ru-digital: every trainer) or an administrator answers; the asker
  // and the reviewer see it but may not answer (403); anyone else is told it does not exist
  ['POST /api/questions/{id}/answer',               401, 403, 200, 404, 404, 403, 200],
  // the academy hides (reviewer, administrator); those who see it otherwise get 403, the rest 404
  ['POST /api/questions/{id}/hide',                 401, 403, 403, 404, 404, 200, 200],
  // the survey opens at the course's end: the learner's fixture enrolment has just begun (409)
  ['POST /api/enrolments/{id}/feedback',            401, 409, 404, 404, 404, 403, 403],
  // … and has no answers yet: the owner hears feedback_not_found, anyone else enrolment_not_found
  ['GET /api/enrolments/{id}/feedback',             401, 404, 404, 404, 404, 403, 403],
  // a course's tests are for its enrolled learners: the others with the learner role hear not_enrolled
  ['POST /api/quizzes/{id}/attempts',               401, 201, 403, 403, 403, 403, 403],
  ['PUT /api/attempts/{id}/answers/{questionId}',   401, 200, 404, 404, 404, 403, 403],
  ['POST /api/attempts/{id}/submit',                401, 200, 404, 404, 404, 403, 403],
  // ---- trainers, reviewers, admins ----
  ['GET /api/grading/essays',                       401, 403, 200, 403, 403, 200, 200],
  ['POST /api/grading/essays/{id}',                 401, 403, 200, 403, 403, 200, 200],
  ['GET /api/quizzes/{id}/analysis',                401, 403, 200, 403, 403, 200, 200],
  ['POST /api/questions/{id}/regrade',              401, 403, 200, 403, 403, 403, 200],
  ['POST /api/certificates/{code}/revoke',          401, 403, 403, 403, 403, 200, 200],
  // ---- HR, scoped to its organisations ----
  ['GET /api/hr/staff',                             401, 403, 403, 200, 200, 403, 403],
  ['GET /api/hr/records',                           401, 403, 403, 200, 200, 403, 403],
  ['POST /api/hr/records/{id}/review',              401, 403, 403, 200, 404, 403, 403],
  ['POST /api/hr/assignments',                      401, 403, 403, 200, 404, 403, 403],
  ['GET /api/hr/export/completions',                401, 403, 403, 200, 200, 403, 403],
  // a file without the required columns: 400 staff_columns for any HR officer (each checks only into their own scope)
  ['POST /api/hr/staff/imports',                    401, 403, 403, 400, 400, 403, 403],
  // no import has this id; an officer's imports are theirs alone (tests/api/hr-staff.test.ts checks another officer's 404)
  ['GET /api/hr/staff/imports/{id}',                401, 403, 403, 404, 404, 403, 403],
  ['POST /api/hr/staff/imports/{id}/apply',         401, 403, 403, 404, 404, 403, 403],
  ['POST /api/hr/staff/imports/{id}/invitations',   401, 403, 403, 404, 404, 403, 403],
  // the learner is the ministry's servant: another body's officer is told they do not exist
  ['GET /api/hr/staff/{id}',                        401, 403, 403, 200, 404, 403, 403],
  // the fixture servant (the learner) already has a password: an invitation would hand the account to
  // the officer, so 409 invitation_not_allowed (a first invitation is tested in hr-staff.test.ts)
  ['POST /api/hr/staff/{id}/invitation',            401, 403, 403, 409, 404, 403, 403],
  ['POST /api/hr/staff/{id}/move',                  401, 403, 403, 200, 404, 403, 403],
  ['POST /api/hr/staff/{id}/dismiss',               401, 403, 403, 200, 404, 403, 403],
  // not dismissed: 409 not_dismissed for their own officer
  ['POST /api/hr/staff/{id}/reactivate',            401, 403, 403, 409, 404, 403, 403],
  ['GET /api/hr/compliance',                        401, 403, 403, 200, 200, 403, 403],
  ['GET /api/hr/assignments',                       401, 403, 403, 200, 200, 403, 403],
  // plan lines of the learner's ministry: another body's officer is told they do not exist
  ['GET /api/hr/plan',                              401, 403, 403, 200, 404, 403, 403],
  ['POST /api/hr/plan/lines',                       401, 403, 403, 201, 404, 403, 403],
  ['PUT /api/hr/plan/lines/{id}',                   401, 403, 403, 200, 404, 403, 403],
  ['DELETE /api/hr/plan/lines/{id}',                401, 403, 403, 204, 404, 403, 403],
  ['GET /api/hr/reports',                           401, 403, 403, 200, 200, 403, 403],
  // ---- attestation and reserve competitions (docs/attestation.md) ----
  // Campaigns are run by personnel officers and administrators; commission members see the campaigns they sit on
  // (tests/api/attestation.test.ts checks those two roles and candidates); nobody else.
  ['GET /api/attestation/campaigns',                401, 403, 403, 403, 403, 403, 200],
  ['POST /api/attestation/campaigns',               401, 403, 403, 403, 403, 403, 201],
  ['GET /api/attestation/campaigns/{id}',           401, 403, 403, 403, 403, 403, 200],
  ['PUT /api/attestation/campaigns/{id}',           401, 403, 403, 403, 403, 403, 200],
  ['PUT /api/attestation/campaigns/{id}/commission', 401, 403, 403, 403, 403, 403, 200],
  ['POST /api/attestation/campaigns/{id}/people',   401, 403, 403, 403, 403, 403, 200],
  // a person in a campaign: the officer, the campaign's commission and the person (the learner); to anyone else it does not exist
  ['GET /api/attestation/people/{id}',              401, 200, 404, 404, 404, 404, 200],
  ['DELETE /api/attestation/people/{id}',           401, 403, 403, 403, 403, 403, 200],
  // the learner may read their attestation but not add to it (only a candidate adds to their own competition application)
  ['POST /api/attestation/people/{id}/documents',   401, 403, 404, 404, 404, 404, 201],
  ['GET /api/attestation/documents/{id}/file',      401, 200, 404, 404, 404, 404, 200],
  ['POST /api/attestation/people/{id}/stage1',      401, 403, 403, 403, 403, 403, 200],
  // any signed-in citizen applies to an open competition; those who run it do not
  ['POST /api/competitions/{id}/applications',      401, 201, 201, 201, 201, 201, 403],
  ['GET /api/me/attestations',                      401, 200, 200, 200, 200, 200, 200],
  // stage 2, testing sessions (tests/api/attestation-session.test.ts checks the officer, the commission and the person):
  // the officer schedules, lists (the commission too), watches live and releases a seat
  ['POST /api/attestation/campaigns/{id}/sessions', 401, 403, 403, 403, 403, 403, 201],
  ['GET /api/attestation/campaigns/{id}/sessions',  401, 403, 403, 403, 403, 403, 200],
  // a person of the campaign admitted at stage 1 (the learner); to anyone else the code does not exist
  ['POST /api/attestation/sessions/enter',          401, 200, 404, 404, 404, 404, 404],
  ['GET /api/attestation/sessions/{id}/live',       401, 403, 403, 403, 403, 403, 200],
  ['POST /api/attestation/sessions/{id}/seats/{personId}/release', 401, 403, 403, 403, 403, 403, 200],
  // the qualities profile: the officer and the campaign's commission; the person is refused; anyone else: it does not exist
  ['GET /api/attestation/people/{id}/testing',      401, 403, 404, 404, 404, 404, 200],
  // interview scores: the officer reads them; the commission's members score (tests/api/attestation-interview.test.ts);
  // the person and everyone else are told the person does not exist; the learner (the person) and the administrator
  // (officer) may see the person but are not on the commission: 403 to score
  ['GET /api/attestation/people/{id}/scores',       401, 404, 404, 404, 404, 404, 200],
  ['POST /api/attestation/people/{id}/scores',      401, 404, 404, 404, 404, 404, 403],
  ['POST /api/attestation/people/{id}/decision',    401, 403, 403, 403, 403, 403, 200],
  ['GET /api/attestation/reserve',                  401, 403, 403, 403, 403, 403, 200],
  ['POST /api/attestation/reserve/publish',         401, 403, 403, 403, 403, 403, 200],
  // no such entry: 404 for the officer
  ['DELETE /api/attestation/reserve/{id}',          401, 403, 403, 403, 403, 403, 404],
  // the published reserve is public (fixed in shared/API.md)
  ['GET /api/reserve',                              200, 200, 200, 200, 200, 200, 200],
  // the protocol: the officer and the campaign's commission
  ['GET /api/attestation/campaigns/{id}/protocol.pdf', 401, 403, 403, 403, 403, 403, 200],
  ['GET /api/attestation/campaigns/{id}/protocol.xlsx', 401, 403, 403, 403, 403, 403, 200],
  // ---- the academy (reviewers, admins) ----
  ['GET /api/academy/quality',                      401, 403, 403, 403, 403, 200, 200],
  ['GET /api/academy/quality.csv',                  401, 403, 403, 403, 403, 200, 200],
  ['GET /api/academy/courses/{slug}',               401, 403, 403, 403, 403, 200, 200],
  // ---- authoring: trainers and admins; the fixture draft is the trainer's, with a category and a question ----
  ['GET /api/author/drafts',                        401, 403, 200, 403, 403, 403, 200],
  ['POST /api/author/drafts',                       401, 403, 201, 403, 403, 403, 201],
  // the test library's course has no source to edit from (no package files, no publishing draft): 409 course_source_unavailable
  // a copy of the fixture draft: its author and admins; others are told it does not exist (tests/api/draft-copy.test.ts)
  ['POST /api/author/drafts/{id}/copy',              401, 403, 201, 403, 403, 403, 201],
  // a lesson or quiz copied within the fixture draft: its author and admins; others hear the draft does not exist (tests/api/copy-parts.test.ts)
  ['POST /api/author/drafts/{id}/lessons/{lesson}/copy', 401, 403, 201, 403, 403, 403, 201],
  // the fixture draft has no quiz: its editors hear quiz_not_found
  ['POST /api/author/drafts/{id}/quizzes/{quizId}/copy', 401, 403, 404, 403, 403, 403, 404],
  ['POST /api/author/courses/{slug}/draft',         401, 403, 409, 403, 403, 403, 409],
  // any trainer or administrator may base a new course on a published one (tests/api/published-copy.test.ts)
  ['POST /api/author/courses/{slug}/copy',          401, 403, 201, 403, 403, 403, 201],
  ['GET /api/author/drafts/{id}',                   401, 403, 200, 403, 403, 403, 200],
  ['PUT /api/author/drafts/{id}',                   401, 403, 200, 403, 403, 403, 200],
  ['PUT /api/author/drafts/{id}/lessons/{lesson}',  401, 403, 200, 403, 403, 403, 200],
  ['POST /api/author/drafts/{id}/tree',             401, 403, 200, 403, 403, 403, 200],
  ['POST /api/author/drafts/{id}/media',            401, 403, 201, 403, 403, 403, 201],
  // SCORM package upload: the draft's author (trainer) and administrators only
  ['POST /api/author/drafts/{id}/scorm',            401, 403, 201, 403, 403, 403, 201],
  // a Word document made a lesson (tests/api/word-import.test.ts): the draft's author (trainer) and administrators only
  ['POST /api/author/drafts/{id}/word',             401, 403, 201, 403, 403, 403, 201],
  ['GET /api/author/drafts/{id}/lessons/{lesson}/preview', 401, 403, 200, 403, 403, 403, 200],
  // reviewers read a bank (not editable); only its editors change it
  ['GET /api/author/drafts/{id}/questions',         401, 403, 200, 403, 403, 200, 200],
  ['POST /api/author/drafts/{id}/questions',        401, 403, 201, 403, 403, 403, 201],
  // question-bank files: the draft's editors import (preview saves nothing); reviewers may download the bank too
  ['POST /api/author/drafts/{id}/questions/import/preview', 401, 403, 200, 403, 403, 403, 200],
  ['POST /api/author/drafts/{id}/questions/import', 401, 403, 200, 403, 403, 403, 200],
  ['GET /api/author/drafts/{id}/questions/export',  401, 403, 200, 403, 403, 200, 200],
  ['GET /api/author/questions/template',            401, 403, 200, 403, 403, 403, 200],
  ['POST /api/author/drafts/{id}/questions/categories', 401, 403, 201, 403, 403, 403, 201],
  ['PUT /api/author/drafts/{id}/questions/categories/{categoryId}', 401, 403, 200, 403, 403, 403, 200],
  // the category still holds the fixture question: 409 for its editors
  ['DELETE /api/author/drafts/{id}/questions/categories/{categoryId}', 401, 403, 409, 403, 403, 403, 409],
  ['PUT /api/author/drafts/{id}/questions/{questionId}', 401, 403, 200, 403, 403, 403, 200],
  ['DELETE /api/author/drafts/{id}/questions/{questionId}', 401, 403, 200, 403, 403, 403, 200],
  ['POST /api/author/drafts/{id}/quizzes',          401, 403, 201, 403, 403, 403, 201],
  // no quiz yet: its editors hear quiz_not_found
  ['PUT /api/author/drafts/{id}/quizzes/{quizId}',  401, 403, 404, 403, 403, 403, 404],
  ['DELETE /api/author/drafts/{id}/quizzes/{quizId}', 401, 403, 404, 403, 403, 403, 404],
  // ---- review: the author submits; reviewers and admins take, check and decide ----
  ['GET /api/review/queue',                         401, 403, 403, 403, 403, 200, 200],
  ['GET /api/review/drafts/{id}',                   401, 403, 200, 403, 403, 200, 200],
  // the fixture draft is not publishable yet (no module title): 422 draft_invalid for its author and admins
  ['POST /api/review/drafts/{id}/submit',           401, 403, 422, 403, 403, 403, 422],
  // it is a draft, not submitted: 409 draft_state_invalid for reviewers and admins
  ['POST /api/review/drafts/{id}/take',             401, 403, 403, 403, 403, 409, 409],
  ['PUT /api/review/drafts/{id}/checklist',         401, 403, 403, 403, 403, 409, 409],
  ['POST /api/review/drafts/{id}/decision',         401, 403, 403, 403, 403, 409, 409],
  // the signed-in user's own decisions: an empty list for anyone who has no drafts
  ['GET /api/review/decisions',                     401, 200, 200, 200, 200, 200, 200],
  // ---- administration ----
  ['GET /api/admin/people',                         401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/people/{id}',                    401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/people/{id}/roles',             401, 403, 403, 403, 403, 403, 200],
  ['DELETE /api/admin/people/{id}/roles/{grantId}', 401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/people/{id}/lock',              401, 403, 403, 403, 403, 403, 200],
  // not locked: 409 is the admin's answer, everyone else is stopped before
  ['POST /api/admin/people/{id}/unlock',            401, 403, 403, 403, 403, 403, 409],
  ['POST /api/admin/people/{id}/password-reset',    401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/organisations',                  401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/organisations',                 401, 403, 403, 403, 403, 403, 201],
  ['PATCH /api/admin/organisations/{id}',           401, 403, 403, 403, 403, 403, 200],
  // the village has people but no open sub-unit: it may close. Reopen: it is open, so 409 — for the admin only
  ['POST /api/admin/organisations/{id}/close',      401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/organisations/{id}/reopen',     401, 403, 403, 403, 403, 403, 409],
  ['POST /api/admin/organisations/import',          401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/policy',                         401, 403, 403, 403, 403, 403, 200],
  ['PUT /api/admin/policy',                         401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/policy/preview',                401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/settings',                       401, 403, 403, 403, 403, 403, 200],
  ['PUT /api/admin/settings',                       401, 403, 403, 403, 403, 403, 200],
  // SMTP is not configured in the fixtures: 200 with status not_configured
  ['POST /api/admin/settings/test-mail',            401, 403, 403, 403, 403, 403, 200],
  // accounts and roles for many at once (tests/api/admin-accounts.test.ts)
  ['POST /api/admin/people',                       401, 403, 403, 403, 403, 403, 201],
  ['PUT /api/admin/people/{id}',                   401, 403, 403, 403, 403, 403, 200],
  // the training provider a person writes for (their new drafts name it): administrators only
  ['PUT /api/admin/people/{id}/provider',          401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/roles/bulk',                   401, 403, 403, 403, 403, 403, 200],
  // no such organisation: 404 for the administrator (tests/api/sso.test.ts turns it off and on)
  ['PUT /api/admin/organisations/{id}/password-login', 401, 403, 403, 403, 403, 403, 404],
  ['GET /api/admin/system',                       401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/outbox',                         401, 403, 403, 403, 403, 403, 200],
  ['POST /api/admin/outbox/{id}/retry',             401, 403, 403, 403, 403, 403, 404],
  ['POST /api/admin/outbox/{id}/cancel',            401, 403, 403, 403, 403, 403, 404],
  ['GET /api/admin/audit',                          401, 403, 403, 403, 403, 403, 200],
  ['GET /api/admin/audit/export',                   401, 403, 403, 403, 403, 403, 200],
  // API tokens for integrations (a bearer token itself never opens these: tests/api/api-tokens.test.ts)
  ['POST /api/admin/tokens',                        401, 403, 403, 403, 403, 403, 201],
  ['GET /api/admin/tokens',                         401, 403, 403, 403, 403, 403, 200],
  // no such token (the id is well-formed): 404 for the administrator
  ['DELETE /api/admin/tokens/{id}',                 401, 403, 403, 403, 403, 403, 404],
];

// Hundreds of requests per test, on a shared 2-core machine.
vi.setConfig({ testTimeout: 60_000, hookTimeout: 90_000 });

let f: Fixtures;
let ops: Operation[];

beforeAll(async () => {
  f = await buildFixtures();
  ({ ops } = await openapiOperations());
}, 60_000);

const matches = (cell: Cell, status: number) => String(cell).split('|').map(Number).includes(status);
const routeOf = (row: Row) => row[0].replace(/\s+/, ' ');

describe('access control (generated from /api/openapi.json)', () => {
  it('has exactly one expectation line per documented route', () => {
    const documented = new Set(ops.map((o) => o.key));
    const lines = ACCESS.map(routeOf);
    const missing = [...documented].filter((k) => !lines.includes(k));
    const stale = lines.filter((k) => !documented.has(k));
    const twice = lines.filter((k, i) => lines.indexOf(k) !== i);
    const template = (k: string) => `  ['${k}', 401, 403, 403, 403, 403, 403, 200], // fill in: anon learner trainer hr hrOther reviewer admin`;
    expect(
      [
        ...missing.map((k) => `route without an expectation — add to ACCESS in tests/api/access-control.test.ts:\n${template(k)}`),
        ...stale.map((k) => `expectation for a route that openapi.json no longer has — remove its line: ${k}`),
        ...twice.map((k) => `two lines for ${k}`),
      ],
    ).toEqual([]);
  });

  it('documents as public (security: []) exactly the routes an anonymous caller is not refused with 401', () => {
    const byKey = new Map(ACCESS.map((r) => [routeOf(r), r]));
    const wrong: string[] = [];
    for (const op of ops) {
      const row = byKey.get(op.key);
      if (!row) continue;
      const anonymousRefused = matches(row[1], 401);
      const documentedPublic = Array.isArray(op.op.security) && (op.op.security.length === 0 || op.op.security.some((r: object) => Object.keys(r).length === 0));
      if (anonymousRefused === documentedPublic) wrong.push(`${op.key}: anon ${row[1]}, security ${JSON.stringify(op.op.security)}`);
    }
    expect(wrong).toEqual([]);
  });

  it('answers every route for every role as the table says', async () => {
    const byKey = new Map(ACCESS.map((r) => [routeOf(r), r]));
    const wrong: string[] = [];
    let checked = 0;
    for (const op of ops) {
      const row = byKey.get(op.key);
      if (!row) continue; // reported by the test above
      for (const [i, role] of ROLES.entries()) {
        const expected = row[i + 1] as Cell;
        const res = await rolledBack(() => send(f, op, role, VALID_REQUESTS[op.key]?.(f) ?? {}));
        const text = await res.text();
        checked++;
        if (!matches(expected, res.status)) {
          const code = res.headers.get('content-type')?.includes('json') ? text.slice(0, 120) : res.headers.get('content-type');
          wrong.push(`${op.key} as ${role}: expected ${expected}, got ${res.status} ${code}`);
        }
        if (res.status >= 400 && res.status !== 416) {
          expect(JSON.parse(text), `${op.key} as ${role}`).toMatchObject({ error: { code: expect.any(String) } });
        }
      }
    }
    expect(wrong).toEqual([]);
    expect(checked).toBe(ops.filter((o) => byKey.has(o.key)).length * ROLES.length);
  }, 60_000);

  it('an unsafe request from another origin is refused before anything else, on every unsafe route', async () => {
    for (const op of ops.filter((o) => o.method !== 'GET')) {
      const res = await rolledBack(async () =>
        call(fillPath(op.path), { method: op.method, cookie: f.cookies.admin, headers: { origin: 'https://evil.example' }, json: {} }),
      );
      expect(res.status, op.key).toBe(403);
      expect(await res.json(), op.key).toEqual({ error: { code: 'origin_mismatch' } });
    }
  });

  it('HR lists are scoped: another body’s HR officer never sees the learner; the learner’s own HR does', async () => {
    const lists = ['/api/hr/staff', '/api/hr/records', '/api/hr/export/completions?format=json'];
    for (const url of lists) {
      const own = await rolledBack(async () => (await call(url, { cookie: f.cookies.hr })).text());
      const other = await rolledBack(async () => (await call(url, { cookie: f.cookies.hrOther })).text());
      expect(own, url).toContain('Айгүл Асанова');
      expect(other, url).not.toContain('Айгүл Асанова');
    }
  });

  it('and the other way round: the ministry’s HR cannot see or decide an Osh servant’s outside training', async () => {
    const form = new FormData();
    for (const [k, v] of Object.entries(outsideFields({ userId: String(f.oshServantId) }))) form.set(k, v);
    form.set('scan', new File([PDF_BYTES], 'scan.pdf', { type: 'application/pdf' }));
    await rolledBack(async () => {
      const added = await call('/api/records/outside', { method: 'POST', cookie: f.cookies.hrOther, body: form });
      expect(added.status).toBe(201);
      const { id } = await added.json();
      expect((await call(`/api/records/outside/${id}/scan`, { cookie: f.cookies.hr })).status).toBe(404);
      expect((await call(`/api/hr/records/${id}/review`, { method: 'POST', cookie: f.cookies.hr, json: { status: 'verified' } })).status).toBe(404);
      expect((await call(`/api/records/outside/${id}/scan`, { cookie: f.cookies.hrOther })).status).toBe(200);
      expect((await call(`/api/hr/records/${id}/review`, { method: 'POST', cookie: f.cookies.hrOther, json: { status: 'rejected', reason: 'Буйрук жок' } })).status).toBe(200);
    });
  });

  it('fixtures are real: the ids point at the learner’s own things', () => {
    expect(f.essayItemId).not.toBe(999999);
    expect(f.certCode).toMatch(/^BLM-/);
    expect(f.attemptDoneId).not.toBe(f.attemptOpenId);
  });
});
