#!/bin/sh
# Produces a short narrated slide video for one lesson, with Kyrgyz and Russian WebVTT captions.
#
#   scripts/make-lesson-video.sh <course> <lesson> <texts-file> [name]
#
# <texts-file> holds 3–4 slides, each a line "ky: …" followed by a line "ru: …" (blank lines and
# lines starting with # are ignored). The narration is the Kyrgyz text (espeak-ng -v ky); each slide
# shows both texts, and each language's captions go to their own .vtt. Writes
# courses/<course>/media/<name>.mp4, <name>.ky.vtt and <name>.ru.vtt (name defaults to the lesson
# slug); set the lesson's "video" field in course.json yourself. Texts used: scripts/lesson-videos/.
#
# Needs ffmpeg, espeak-ng and python3 only to PRODUCE the files (apt-get install -y ffmpeg
# espeak-ng); the platform never runs them.
set -eu
[ $# -ge 3 ] || { echo "usage: $0 <course> <lesson> <texts-file> [name]" >&2; exit 2; }
COURSE=$1 LESSON=$2 TEXTS=$3 NAME=${4:-$2}
OUT=courses/$COURSE/media
[ -d "courses/$COURSE" ] || { echo "no course courses/$COURSE" >&2; exit 1; }
grep -q "\"slug\": *\"$LESSON\"" "courses/$COURSE/course.json" || { echo "no lesson $LESSON in courses/$COURSE/course.json" >&2; exit 1; }
FONT=/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf
BOLD=/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$OUT"

# split the texts file into $TMP/ky<i>.raw and $TMP/ru<i>.raw
N=$(python3 - "$TEXTS" "$TMP" <<'PY'
import sys
ky, ru = [], []
for line in open(sys.argv[1], encoding='utf-8'):
    line = line.strip()
    if not line or line.startswith('#'): continue
    lang, _, text = line.partition(':')
    {'ky': ky, 'ru': ru}[lang.strip()].append(text.strip())
assert len(ky) == len(ru) and 1 <= len(ky) <= 6, 'need as many "ky:" as "ru:" lines (1-6 slides)'
for i, (k, r) in enumerate(zip(ky, ru), 1):
    open(f'{sys.argv[2]}/ky{i}.raw', 'w', encoding='utf-8').write(k)
    open(f'{sys.argv[2]}/ru{i}.raw', 'w', encoding='utf-8').write(r)
print(len(ky))
PY
)

ts() { awk -v s="$1" 'BEGIN { h=int(s/3600); m=int((s-h*3600)/60); x=s-h*3600-m*60; printf "%02d:%02d:%06.3f", h, m, x }'; }

printf 'WEBVTT\n\n' > "$TMP/ky.vtt"
printf 'WEBVTT\n\n' > "$TMP/ru.vtt"
: > "$TMP/list.txt"
t=0
i=1
while [ "$i" -le "$N" ]; do
  ky=$(cat "$TMP/ky$i.raw"); ru=$(cat "$TMP/ru$i.raw")
  espeak-ng -v ky -s 150 -w "$TMP/a$i.wav" "$ky"
  d=$(ffprobe -v error -show_entries format=duration -of csv=p=0 "$TMP/a$i.wav")
  d=$(awk -v d="$d" 'BEGIN { printf "%.3f", d + 0.6 }')
  # wrapped by characters, not bytes (fold counts bytes)
  python3 -c 'import sys, textwrap; print("\n".join(textwrap.wrap(open(sys.argv[1], encoding="utf-8").read(), 38)), end="")' "$TMP/ky$i.raw" > "$TMP/ky$i.txt"
  python3 -c 'import sys, textwrap; print("\n".join(textwrap.wrap(open(sys.argv[1], encoding="utf-8").read(), 52)), end="")' "$TMP/ru$i.raw" > "$TMP/ru$i.txt"
  ffmpeg -v error -y -f lavfi -i "color=c=0x1d3b5c:s=854x480:d=$d:r=15" -i "$TMP/a$i.wav" \
    -vf "drawtext=fontfile=$BOLD:textfile=$TMP/ky$i.txt:fontcolor=white:fontsize=30:line_spacing=10:x=50:y=60,drawtext=fontfile=$FONT:textfile=$TMP/ru$i.txt:fontcolor=0xdde7f0:fontsize=22:line_spacing=8:x=50:y=290,drawtext=fontfile=$FONT:text='Bilim · $i/$N':fontcolor=0xaabbcc:fontsize=18:x=50:y=440" \
    -af apad -t "$d" -c:v libx264 -preset veryslow -crf 30 -pix_fmt yuv420p -c:a aac -b:a 32k -ac 1 -ar 22050 "$TMP/s$i.mp4"
  echo "file '$TMP/s$i.mp4'" >> "$TMP/list.txt"
  e=$(awk -v t="$t" -v d="$d" 'BEGIN { printf "%.3f", t + d - 0.2 }')
  printf '%s --> %s\n%s\n\n' "$(ts "$t")" "$(ts "$e")" "$ky" >> "$TMP/ky.vtt"
  printf '%s --> %s\n%s\n\n' "$(ts "$t")" "$(ts "$e")" "$ru" >> "$TMP/ru.vtt"
  t=$(awk -v t="$t" -v d="$d" 'BEGIN { printf "%.3f", t + d }')
  i=$((i + 1))
done
ffmpeg -v error -y -f concat -safe 0 -i "$TMP/list.txt" -c copy -movflags +faststart "$OUT/$NAME.mp4"
cp "$TMP/ky.vtt" "$OUT/$NAME.ky.vtt"
cp "$TMP/ru.vtt" "$OUT/$NAME.ru.vtt"
ls -l "$OUT/$NAME.mp4" "$OUT/$NAME.ky.vtt" "$OUT/$NAME.ru.vtt"
echo "duration: ${t}s"
