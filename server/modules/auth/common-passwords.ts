/**
 * Passwords and words people pick first, kept in the repository (no download at run time). Compared
 * in lower case, whole or with digits and signs around them ("Qwerty2026!"), by password-policy.ts.
 * Drawn from the well-known leaked-password top lists (the entries long enough to matter once 12
 * characters are required, and the words they are built on) and from what people here type:
 * Russian words in the Latin layout, place names, the platform's own name. Add to it freely.
 */
export const COMMON_PASSWORDS: readonly string[] = [
  // the words the top lists are built on
  'password', 'passw0rd', 'p@ssw0rd', 'p@ssword', 'pass', 'passwort', 'secret', 'letmein', 'welcome', 'welcome1',
  'admin', 'administrator', 'root', 'user', 'guest', 'login', 'default', 'changeme', 'master', 'access',
  'qwerty', 'qwertyuiop', 'asdfgh', 'asdfghjkl', 'zxcvbnm', 'iloveyou', 'trustno', 'trustnoone', 'monkey', 'dragon',
  'football', 'baseball', 'basketball', 'soccer', 'hockey', 'superman', 'batman', 'spiderman', 'starwars', 'pokemon',
  'sunshine', 'princess', 'shadow', 'michael', 'jennifer', 'jordan', 'hunter', 'ranger', 'buster', 'freedom',
  'whatever', 'computer', 'internet', 'samsung', 'google', 'microsoft', 'windows', 'apple', 'iphone', 'android',
  'abcdef', 'abcdefgh', 'abc', 'test', 'testing', 'tester', 'demo', 'example', 'sample', 'temp', 'temporary',
  'summer', 'winter', 'spring', 'autumn', 'january', 'february', 'december', 'monday', 'friday', 'birthday',
  'lovely', 'loveme', 'love', 'mylove', 'angel', 'beautiful', 'flower', 'killer', 'master', 'mustang',
  'charlie', 'thomas', 'daniel', 'andrew', 'robert', 'matthew', 'ashley', 'jessica', 'nicole', 'michelle',
  'qazwsx', 'qazwsxedc', 'zaq', 'zaqxsw', 'zaqwsx', 'qweasd', 'qweasdzxc', 'asdqwe', 'zxcasdqwe', 'poiuytrewq',
  // whole passwords from the top lists, 12 characters or more
  'password1234', 'password12345', 'password123456', 'qwerty123456', 'qwertyuiop12', 'qwertyuiop123', '1q2w3e4r5t6y',
  '1qaz2wsx3edc', 'zaq12wsxcde3', '1qazxsw23edc', 'iloveyou1234', 'administrator1', 'changeme1234', 'letmein12345',
  'welcome12345', 'welcome123456', 'abc123456789', 'abcd12345678', 'a1b2c3d4e5f6', 'q1w2e3r4t5y6', 'qwe123qwe123',
  'asdasdasdasd', 'qweqweqweqwe', 'zxczxczxczxc', '111222333444', '123123123123', '123321123321', '123456654321',
  '112233445566', '147258369000', '159753159753', '987654321000', 'passwordpassword', 'qwertyqwerty',
  // Russian words typed in the Latin layout, and the Cyrillic ones themselves
  'gfhjkm', 'gfhjkmgfhjkm', 'ytpyf.', 'ghbdtn', 'ljcneg', 'yfnfif', 'cjkywt', 'vfrcbv', 'rjhjkm', 'fylhtq',
  'пароль', 'парольпароль', 'привет', 'любовь', 'доступ', 'секрет', 'админ', 'администратор', 'пользователь', 'логин',
  'йцукен', 'йцукенгшщз', 'фывапролдж', 'ячсмить', 'солнышко', 'котенок', 'наташа', 'максим', 'александр', 'андрей',
  'сырсөз', 'сыр', 'кирүү', 'салам', 'саламатсызбы',
  // the country, its cities and this platform
  'kyrgyzstan', 'kyrgyz', 'kirgizia', 'kyrgyzrepublic', 'bishkek', 'frunze', 'osh', 'jalalabad', 'karakol', 'naryn',
  'talas', 'batken', 'tokmok', 'issykkul', 'manas', 'ala-too', 'alatoo', 'кыргызстан', 'кыргыз', 'бишкек', 'ош', 'манас',
  'bilim', 'билим', 'bilimplatform', 'civilservice', 'gosslujba', 'мамлекеттиккызмат', 'госслужба', 'ministry', 'министерство',
];
