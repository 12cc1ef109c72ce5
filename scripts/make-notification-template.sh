#!/bin/sh
# Produces the fill-in template of a written conflict-of-interest notification (Kyrgyz page, Russian
# page) attached to the lesson "05-declare-and-resolve". Needs Chromium only to PRODUCE the PDF.
set -eu
OUT=courses/ethics-conflict-of-interest/media/conflict-notification-template.pdf
TMP=$(mktemp -d)
cat > "$TMP/t.html" <<'HTML'
<!doctype html><html><head><meta charset="utf-8"><style>
@page { size: A4; margin: 20mm; }
body { font-family: "DejaVu Sans", sans-serif; font-size: 11pt; line-height: 1.5; color: #000; }
h1 { font-size: 14pt; text-align: center; margin: 0 0 6mm; }
.to { margin-left: 90mm; margin-bottom: 8mm; }
.line { border-bottom: 1px solid #000; height: 8mm; }
.label { font-size: 9pt; color: #333; margin: 1mm 0 4mm; }
.hint { font-size: 9pt; color: #333; margin-top: 8mm; border-top: 1px solid #999; padding-top: 3mm; }
.page { page-break-after: always; }
.sign { display: flex; justify-content: space-between; margin-top: 10mm; }
</style></head><body>
<div class="page" lang="ky">
<div class="to"><div class="line"></div><div class="label">(түз жетекчинин кызмат орду, аты-жөнү)</div>
<div class="line"></div><div class="label">(кызматчынын кызмат орду, аты-жөнү)</div></div>
<h1>Кызыкчылыктардын кагылышуусу жөнүндө<br>БИЛДИРҮҮ</h1>
<p>Мен кызматтык милдеттеримди аткарууда жеке кызыкчылыгым менен байланышкан кызыкчылыктардын кагылышуусу пайда болгондугу (же пайда болушу мүмкүн экендиги) жөнүндө билдирем.</p>
<p>1. Кайсы маселе же иш жөнүндө сөз болуп жатат:</p><div class="line"></div><div class="line"></div>
<p>2. Жеке кызыкчылыктын мүнөзү (ким, кандай байланыш, кандай пайда болушу мүмкүн):</p><div class="line"></div><div class="line"></div><div class="line"></div>
<p>3. Кагылышууну жөнгө салуу боюнча менин сунушум:</p><div class="line"></div><div class="line"></div>
<div class="sign"><span>Дата: «____» ____________ 20___-ж.</span><span>Колу: ______________</span></div>
<p class="hint">Билдирүү кагылышуу жөнүндө билген замат, чечим кабыл алынганга чейин берилет. Жетекчинин чечими чыкканга чейин маселеге кийлигишпеңиз. Жетекчи жөнгө салуу чарасын тандап, чечимин жазуу жүзүндө бекитет. — «Билим» платформасы, «Мамлекеттик жана муниципалдык кызматтын этикасы жана кызыкчылыктардын кагылышуусу» курсу.</p>
</div>
<div lang="ru">
<div class="to"><div class="line"></div><div class="label">(должность, фамилия и инициалы непосредственного руководителя)</div>
<div class="line"></div><div class="label">(должность, фамилия и инициалы служащего)</div></div>
<h1>УВЕДОМЛЕНИЕ<br>о конфликте интересов</h1>
<p>Сообщаю о возникновении (возможности возникновения) конфликта интересов, связанного с моей личной заинтересованностью при исполнении служебных обязанностей.</p>
<p>1. О каком вопросе или деле идёт речь:</p><div class="line"></div><div class="line"></div>
<p>2. Суть личной заинтересованности (кто, какая связь, какая выгода возможна):</p><div class="line"></div><div class="line"></div><div class="line"></div>
<p>3. Моё предложение по урегулированию конфликта:</p><div class="line"></div><div class="line"></div>
<div class="sign"><span>Дата: «____» ____________ 20___ г.</span><span>Подпись: ______________</span></div>
<p class="hint">Уведомление подаётся, как только вы узнали о конфликте, до принятия решения. До решения руководителя не вмешивайтесь в вопрос. Руководитель выбирает меру урегулирования и оформляет решение письменно. — Платформа «Билим», курс «Этика государственной и муниципальной службы и конфликт интересов».</p>
</div>
</body></html>
HTML
chromium --headless --no-sandbox --disable-gpu --no-pdf-header-footer --print-to-pdf="$TMP/t.pdf" "file://$TMP/t.html" 2>/dev/null
mkdir -p "$(dirname "$OUT")"
cp "$TMP/t.pdf" "$OUT"
rm -rf "$TMP"
ls -l "$OUT"
