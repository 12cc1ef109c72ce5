import { createRoute, z } from '@hono/zod-openapi';
import { authErrors, commonErrors, errorResponse, newRouter, requireUser } from '@server/lib/http';
import { bankEdits, changeBank, readBank } from './bank';
import { QUESTION_KINDS } from '../quiz/types';

const json = <T extends z.ZodTypeAny>(schema: T, description: string) => ({ content: { 'application/json': { schema } }, description });
const body = <T extends z.ZodTypeAny>(schema: T) => ({ body: { content: { 'application/json': { schema } }, required: true } });

const DraftId = z.coerce.number().int().positive().max(2 ** 31).openapi({ param: { name: 'id', in: 'path' }, example: 1 });
const Slug = (name: string) => z.string().regex(/^[a-z0-9]+(?:-[a-z0-9]+)*$/).max(80).openapi({ param: { name, in: 'path' }, example: 'm1-ethics' });
const Revision = z.number().int().min(1).openapi({ description: 'The draft revision this change is based on; 409 `stale_revision` when someone saved in between' });
const Text = z.object({ ky: z.string(), ru: z.string() }).openapi('BankText');

const Question = z
  .record(z.string(), z.unknown())
  .openapi('BankQuestion', {
    description: `One entry of questions.json (courses/README.md): id, category, kind (${QUESTION_KINDS.join(', ')}), text, tags, mark, feedback and the fields of its kind. A text may be missing in one language while the draft is written; it is then listed in \`missing\`.`,
    example: { id: 'm1-gifts', category: 'm1', kind: 'truefalse', text: { ky: 'Белек алууга болот.', ru: 'Подарки принимать можно.' }, correct: false },
  });
const Category = z.object({ id: z.string(), title: Text }).openapi('BankCategory');
const NewCategory = z.object({ id: z.string().optional().openapi({ description: 'Generated when left out' }), title: Text }).openapi('BankNewCategory');
const Quiz = z.record(z.string(), z.unknown()).openapi('BankQuiz', { description: 'One entry of quizzes.json: id, kind, modulePosition, title, intro, draw, timeLimitMinutes, attempts, grading, passPercent, opensAt, closesAt, review, shuffleQuestions, shuffleOptions' });
const Missing = z.array(z.string()).openapi({ description: 'Paths of texts written in one language only, e.g. `text.ru`' });
const BankView = z
  .object({
    draftId: z.number().int(),
    slug: z.string(),
    state: z.string(),
    revision: z.number().int(),
    editable: z.boolean(),
    categories: z.array(Category),
    questions: z.array(z.record(z.string(), z.unknown()).and(z.object({ missing: Missing }))),
    quizzes: z.array(z.record(z.string(), z.unknown()).and(z.object({ missing: Missing }))),
    problems: z.array(z.object({ code: z.string(), target: z.string() })).openapi({ description: 'What would stop the bank from being published as it is' }),
  })
  .openapi('QuestionBank');
const Saved = z.object({ revision: z.number().int() }).openapi('BankSaved');
const Added = z
  .object({ revision: z.number().int(), id: z.string().openapi({ description: 'The new entry’s id: generated (`q-…`, `quiz-…`, `c-…`) unless the request gave one' }) })
  .openapi('BankAdded');

const editErrors = {
  ...commonErrors,
  ...authErrors,
  404: errorResponse('`draft_not_found`, `question_not_found`, `category_not_found`, `quiz_not_found`'),
  409: errorResponse('`draft_locked` (submitted, in review, approved or published), `stale_revision`, `question_id_taken`, `category_id_taken`, `category_in_use`, `quiz_id_taken`, `quiz_second_final`'),
};
const staff = ['trainer', 'admin'] as const;

export const questionBankRoutes = newRouter()
  .openapi(
    createRoute({
      method: 'get', path: '/author/drafts/{id}/questions', tags: ['Authoring'], summary: 'The question bank and quizzes of a draft, with missing translations and problems',
      request: { params: z.object({ id: DraftId }) },
      responses: { 200: json(BankView, 'The bank'), ...authErrors, 404: errorResponse('`draft_not_found`') },
    }),
    (c) => {
      const user = requireUser(c, 'trainer', 'reviewer', 'admin');
      return c.json(readBank(c.get('db'), c.req.valid('param').id, user) as never, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/author/drafts/{id}/questions/categories', tags: ['Authoring'], summary: 'Add a category to the bank',
      request: { params: z.object({ id: DraftId }), ...body(z.object({ revision: Revision, category: NewCategory })) },
      responses: { 201: json(Added, 'Added; the new revision and the new entry’s id'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { revision, category } = c.req.valid('json');
      const add = bankEdits.addCategory(category);
      const saved = changeBank(c.get('db'), c.req.valid('param').id, revision, user, add);
      return c.json({ revision: saved, id: add.created! }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/author/drafts/{id}/questions/categories/{categoryId}', tags: ['Authoring'], summary: 'Rename a category',
      request: { params: z.object({ id: DraftId, categoryId: Slug('categoryId') }), ...body(z.object({ revision: Revision, title: Text })) },
      responses: { 200: json(Saved, 'Saved; the new revision'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { id, categoryId } = c.req.valid('param');
      const { revision, title } = c.req.valid('json');
      return c.json({ revision: changeBank(c.get('db'), id, revision, user, bankEdits.updateCategory(categoryId, { title })) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/author/drafts/{id}/questions/categories/{categoryId}', tags: ['Authoring'], summary: 'Delete an unused category',
      request: { params: z.object({ id: DraftId, categoryId: Slug('categoryId') }), ...body(z.object({ revision: Revision })) },
      responses: { 200: json(Saved, 'Deleted; the new revision'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { id, categoryId } = c.req.valid('param');
      return c.json({ revision: changeBank(c.get('db'), id, c.req.valid('json').revision, user, bankEdits.deleteCategory(categoryId)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/author/drafts/{id}/questions', tags: ['Authoring'], summary: 'Add a question of any kind in the registry',
      description: 'Checked with the question type’s own schema (server/modules/quiz/types/) and built as the quiz module will build it at publication.',
      request: { params: z.object({ id: DraftId }), ...body(z.object({ revision: Revision, question: Question })) },
      responses: { 201: json(Added, 'Added; the new revision and the new entry’s id'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { revision, question } = c.req.valid('json');
      const add = bankEdits.addQuestion(question);
      const saved = changeBank(c.get('db'), c.req.valid('param').id, revision, user, add);
      return c.json({ revision: saved, id: add.created! }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/author/drafts/{id}/questions/{questionId}', tags: ['Authoring'], summary: 'Replace a question (its id stays)',
      request: { params: z.object({ id: DraftId, questionId: Slug('questionId') }), ...body(z.object({ revision: Revision, question: Question })) },
      responses: { 200: json(Saved, 'Saved; the new revision'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { id, questionId } = c.req.valid('param');
      const { revision, question } = c.req.valid('json');
      return c.json({ revision: changeBank(c.get('db'), id, revision, user, bankEdits.updateQuestion(questionId, question)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/author/drafts/{id}/questions/{questionId}', tags: ['Authoring'], summary: 'Delete a question',
      request: { params: z.object({ id: DraftId, questionId: Slug('questionId') }), ...body(z.object({ revision: Revision })) },
      responses: { 200: json(Saved, 'Deleted; the new revision'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { id, questionId } = c.req.valid('param');
      return c.json({ revision: changeBank(c.get('db'), id, c.req.valid('json').revision, user, bankEdits.deleteQuestion(questionId)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'post', path: '/author/drafts/{id}/quizzes', tags: ['Authoring'], summary: 'Add a module quiz or the final test',
      request: { params: z.object({ id: DraftId }), ...body(z.object({ revision: Revision, quiz: Quiz })) },
      responses: { 201: json(Added, 'Added; the new revision and the new entry’s id'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { revision, quiz } = c.req.valid('json');
      const add = bankEdits.addQuiz(quiz);
      const saved = changeBank(c.get('db'), c.req.valid('param').id, revision, user, add);
      return c.json({ revision: saved, id: add.created! }, 201);
    },
  )
  .openapi(
    createRoute({
      method: 'put', path: '/author/drafts/{id}/quizzes/{quizId}', tags: ['Authoring'], summary: 'Change a quiz: draw rules, pass mark, time limit, attempts, review',
      request: { params: z.object({ id: DraftId, quizId: Slug('quizId') }), ...body(z.object({ revision: Revision, quiz: Quiz })) },
      responses: { 200: json(Saved, 'Saved; the new revision'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { id, quizId } = c.req.valid('param');
      const { revision, quiz } = c.req.valid('json');
      return c.json({ revision: changeBank(c.get('db'), id, revision, user, bankEdits.updateQuiz(quizId, quiz)) }, 200);
    },
  )
  .openapi(
    createRoute({
      method: 'delete', path: '/author/drafts/{id}/quizzes/{quizId}', tags: ['Authoring'], summary: 'Delete a quiz',
      request: { params: z.object({ id: DraftId, quizId: Slug('quizId') }), ...body(z.object({ revision: Revision })) },
      responses: { 200: json(Saved, 'Deleted; the new revision'), ...editErrors },
    }),
    (c) => {
      const user = requireUser(c, ...staff);
      const { id, quizId } = c.req.valid('param');
      return c.json({ revision: changeBank(c.get('db'), id, c.req.valid('json').revision, user, bankEdits.deleteQuiz(quizId)) }, 200);
    },
  );
