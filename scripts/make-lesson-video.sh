#!/bin/sh
# Produces the short narrated slide video of the lesson "04-what-is-conflict-of-interest" and its
# Kyrgyz and Russian WebVTT captions. Needs ffmpeg, espeak-ng and python3 only to PRODUCE the files
# (apt-get install -y ffmpeg espeak-ng); the platform never runs them.
set -eu
OUT=courses/ethics-conflict-of-interest/media
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
TMP=$(mktemp -d)
mkdir -p "$OUT"

KY1='Кызыкчылыктардын кагылышуусу деген эмне?'
RU1='Что такое конфликт интересов?'
KY2='Бул кызматчынын жеке кызыкчылыгы анын милдеттерин калыс аткаруусуна таасир этиши мүмкүн болгон абал.'
RU2='Это ситуация, когда личная заинтересованность служащего может повлиять на беспристрастное исполнение его обязанностей.'
KY3='Кагылышуунун болушу өзү укук бузуу эмес. Аны жашыруу укук бузуу болот.'
RU3='Само наличие конфликта не нарушение. Нарушение — скрывать его.'
KY4='Кагылышуу жөнүндө жетекчиңизге жазуу жүзүндө билдириңиз.'
RU4='Сообщите о конфликте руководителю письменно.'

ts() { awk -v s="$1" 'BEGIN { h=int(s/3600); m=int((s-h*3600)/60); x=s-h*3600-m*60; printf "%02d:%02d:%06.3f", h, m, x }'; }

printf 'WEBVTT\n\n' > "$TMP/ky.vtt"
printf 'WEBVTT\n\n' > "$TMP/ru.vtt"
: > "$TMP/list.txt"
t=0
for i in 1 2 3 4; do
  eval "ky=\$KY$i"; eval "ru=\$RU$i"
  espeak-ng -v ky -s 150 -w "$TMP/a$i.wav" "$ky"
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$TMP/a$i.wav")
  d=$(awk -v d="$d" 'BEGIN { printf "%.3f", d + 0.6 }')
  # wrapped by characters, not bytes (fold counts bytes)
  printf '%s' "$ky" | python3 -c 'import sys, textwrap; print("\n".join(textwrap.wrap(sys.stdin.read(), 38)), end="")' > "$TMP/ky$i.txt"
  printf '%s' "$ru" | python3 -c 'import sys, textwrap; print("\n".join(textwrap.wrap(sys.stdin.read(), 52)), end="")' > "$TMP/ru$i.txt"
  ffmpeg -v error -y -f lavfi -i "color=c=0x1d3b5c:s=854x480:d=$d:r=15" -i "$TMP/a$i.wav" \
    -vf "drawtext=fontfile=$BOLD:textfile=$TMP/ky$i.txt:fontcolor=white:fontsize=30:line_spacing=10:x=50:y=60,drawtext=fontfile=$FONT:textfile=$TMP/ru$i.txt:fontcolor=0xdde7f0:fontsize=22:line_spacing=8:x=50:y=290,drawtext=fontfile=$FONT:text='Bilim · $i/4':fontcolor=0xaabbcc:fontsize=18:x=50:y=440" \
    -af apad -t "$d" -c:v libx264 -preset veryslow -crf 30 -pix_fmt yuv420p -c:a aac -b:a 32k -ac 1 -ar 22050 "$TMP/s$i.mp4"
  echo "file '$TMP/s$i.mp4'" >> "$TMP/list.txt"
  e=$(awk -v t="$t" -v d="$d" 'BEGIN { printf "%.3f", t + d - 0.2 }')
  printf '%s --> %s\n%s\n\n' "$(ts "$t")" "$(ts "$e")" "$ky" >> "$TMP/ky.vtt"
  printf '%s --> %s\n%s\n\n' "$(ts "$t")" "$(ts "$e")" "$ru" >> "$TMP/ru.vtt"
  t=$(awk -v t="$t" -v d="$d" 'BEGIN { printf "%.3f", t + d }')
done
ffmpeg -v error -y -f concat -safe 0 -i "$TMP/list.txt" -c copy -movflags +faststart "$OUT/conflict-of-interest.mp4"
cp "$TMP/ky.vtt" "$OUT/conflict-of-interest.ky.vtt"
cp "$TMP/ru.vtt" "$OUT/conflict-of-interest.ru.vtt"
rm -rf "$TMP"
ls -l "$OUT"
