import { describe, expect, it } from 'vitest';
import { checkNewPassword } from '@server/modules/auth/password-policy';
import { AppError } from '@server/lib/errors';

const person = { email: 'aigul.asanova@demo.kg', fullName: 'Айгүл Асанова' };
const codeOf = (password: string) => {
  try {
    checkNewPassword(password, person);
    return 'ok';
  } catch (e) {
    if (!(e instanceof AppError)) throw e;
    return e.code;
  }
};

describe('the new-password rule (one function for reset, invitation, admin create, createPerson)', () => {
  it('refuses passwords that are too short or too long', () => {
    expect(codeOf('short-one')).toBe('password_too_short');
    expect(codeOf('x'.repeat(201))).toBe('invalid_input');
  });

  it('refuses one repeated character or group, runs and keyboard walks, also with digits or signs around', () => {
    for (const p of ['aaaaaaaaaaaa', '111111111111', 'abababababab', '123123123123', 'abcdefghijkl', '123456789012', '9876543210987', 'qwertyuiop12', '1q2w3e4r5t6y', 'йцукенгшщзхъ', '!!!abcdefgh!!!']) {
      expect([p, codeOf(p)]).toEqual([p, 'password_pattern']);
    }
  });

  it('refuses the common passwords of the list in the repository, in any case, with digits and signs around', () => {
    for (const p of ['Password2026!', 'password1234', 'Bishkek2026!!', 'пароль123456', 'Kyrgyzstan2026', 'gfhjkmgfhjkm']) {
      expect([p, codeOf(p)]).toEqual([p, 'password_too_common']);
    }
  });

  it("refuses the person's e-mail, its local part and their name, give or take digits and signs", () => {
    for (const p of ['aigul.asanova@demo.kg', 'Aigul.Asanova2026', 'Асанова Айгүл', 'айгүласанова!!', 'Асанова-2026-07']) {
      expect([p, codeOf(p)]).toEqual([p, 'password_personal']);
    }
  });

  it('accepts a long password that is none of these', () => {
    for (const p of ['correct horse battery', 'demo-password-2026', 'Таза-суу ичкен 3 кой', 'a-brand-new-password']) expect([p, codeOf(p)]).toEqual([p, 'ok']);
  });
});
