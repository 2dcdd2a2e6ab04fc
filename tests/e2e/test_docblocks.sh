#!/usr/bin/env bash
# tools/docblocks on a tiny document: a stale block is found (exit 1, with a
# diff), --write fixes it, a second --write changes nothing, and a broken
# document or spec is an error naming the file, the line and the block
# (exit 2); the stamp spares the runs that are not "spot" runs only while
# nothing they depend on has changed, the document included.
cd "$(dirname "$0")/../.."
. tests/e2e/lib.sh
D=tools/docblocks
cat >"$T/doc.blocks" <<'SPEC'
# a spec with one small run
{
  "runs": {"us": "build/reassure run scenarios/baseline.cfg --sweep us_backstop.enabled=false,true -n 500 -s 11",
           "other": "build/reassure run scenarios/baseline.cfg -n 200 -s 12"},
  "blocks": {
    "tab": {"runs": ["us"], "table": {"run": "us", "columns": [
      ["pt", "r", "{point}"], ["US", "c", "{us_backstop.enabled:onoff}"],
      ["P(rung ≥ 7)", "l", "{p_rung_ge_7:ci3}"], ["casualties", "r", "{mean_force_casualties:.0f}"]]}},
    "badrow": {"runs": ["us"], "table": {"run": "us", "columns": [["x", "r", "{p_no_such_row:.3f}"]]}},
  },
  "values": {"cut": ["1 - est('us', 'p_rung_ge_7', 'us_backstop.enabled=true') / est('us', 'p_rung_ge_7', 0)", ".3f"]},
}
SPEC
cat >"$T/doc.md" <<'DOC'
# A document

<!-- docblock: tab -->
stale
<!-- /docblock -->

With the backstop, P is <!-- v:us:us_backstop.enabled=true:p_rung_ge_7:ci3 -->old<!-- /v -->, a cut
of <!-- v:cut -->old<!-- /v -->. A marker quoted in prose, `<!-- v:x -->`, is text.
DOC
cp "$T/doc.md" "$T/orig.md"

expect_exit 1 "a stale document is found" $D --check "$T/doc.md"
check "the diff shows the regenerated table" grep -q '^+| 1 | on | 0\.[0-9]* \[' "$T/out"
check "the diff shows the stale line" grep -q '^-stale' "$T/out"
check "--check leaves the document alone" cmp -s "$T/doc.md" "$T/orig.md"
expect_exit 0 "--write regenerates it" $D --write "$T/doc.md"
check "the command is shown" grep -qF 'build/reassure run scenarios/baseline.cfg --sweep us_backstop.enabled=false,true -n 500 -s 11 -o /tmp/us.h5' "$T/doc.md"
check "inline values are written" grep -qE 'P is <!-- v:us:us_backstop.enabled=true:p_rung_ge_7:ci3 -->0\.[0-9]{3} \[0\.[0-9]{3}, 0\.[0-9]{3}\]<!-- /v -->, a cut' "$T/doc.md"
check "a computed value is written" grep -qE '<!-- v:cut -->0\.[0-9]{3}<!-- /v -->' "$T/doc.md"
check "the quoted marker is left alone" grep -qF '`<!-- v:x -->`, is text.' "$T/doc.md"
expect_exit 0 "--check passes after --write" $D --check "$T/doc.md"
cp "$T/doc.md" "$T/written.md"
expect_exit 0 "a second --write" $D --write "$T/doc.md"
check "a second --write changes nothing" cmp -s "$T/doc.md" "$T/written.md"

# Errors: exit 2, naming the file, the line and the block or value.
bad() { # bad "what" "message" TEXT: the written document, a blank line and
         # TEXT; the message must name bad.md and TEXT's first line
    { cat "$T/written.md"; printf '%s\n' "$3"; } >"$T/bad.md"
    cp "$T/doc.blocks" "$T/bad.blocks"
    expect_exit 2 "$1" $D --check "$T/bad.md"
    err_has "bad.md:$(($(wc -l <"$T/written.md") + 2)): $2"
}
bad "an unknown block" "block nosuch: unknown block" $'\n<!-- docblock: nosuch -->\n<!-- /docblock -->'
bad "a summary row that does not exist" 'block badrow: run "us" has no /summary row "p_no_such_row"' $'\n<!-- docblock: badrow -->\n<!-- /docblock -->'
bad "an unclosed block" "block tab: no <!-- /docblock --> closes it" $'\n<!-- docblock: tab -->\nx'
bad "a stray end marker" "<!-- /docblock --> with no open block" $'\n<!-- /docblock -->'
bad "a malformed marker" "malformed marker '<!-- docblock tab -->'" $'\n<!-- docblock tab -->'
bad "an unclosed inline value" "value cut: no <!-- /v --> closes it" $'\nx <!-- v:cut -->1'
bad "an unknown value" 'value nosuch: unknown value "nosuch"' $'\nx <!-- v:nosuch -->1<!-- /v -->'
bad "an inline value of an unknown row" 'value us:0:p_nope:.3f: run "us" has no /summary row "p_nope"' $'\nx <!-- v:us:0:p_nope:.3f -->1<!-- /v -->'
bad "a run no block shows" 'value other:0:p_rung_ge_7:.3f: run other is shown by no docblock' $'\nx <!-- v:other:0:p_rung_ge_7:.3f -->1<!-- /v -->'
check "errors leave the document alone" cmp -s "$T/written.md" "$T/doc.md"
# The stamp (--write writes it when the spec has "spot"; --check then
# repeats only the spot runs while every input is unchanged): a document
# with a region of a spot run and one of another run.
mkdir -p "$T/st"
{ sed '$d' "$T/doc.blocks"; echo '  "spot": ["us"],'; echo '}'; } >"$T/st/doc.blocks"
cp "$T/doc.md" "$T/st/doc.md"
printf '\nAlone, P is <!-- v:other:0:p_rung_ge_7:.3f -->x<!-- /v -->.\n\n<!-- docblock: oth -->\n<!-- /docblock -->\n' >>"$T/st/doc.md"
sed -i 's/^  "blocks": {$/  "blocks": {\n    "oth": {"runs": ["other"]},/' "$T/st/doc.blocks"
expect_exit 0 "a spec with spot runs: --write" $D --write "$T/st/doc.md"
check "--write writes the stamp beside the document" grep -qE '^sha256 [0-9a-f]{64}$' "$T/st/doc.stamp"
expect_exit 0 "the stamp matches: --check" $D --check "$T/st/doc.md" --keep "$T/k1"
check "the stamp matches: only the spot run is repeated" bash -c "[ -e '$T/k1/us.h5' ] && [ ! -e '$T/k1/other.h5' ]"
check "the stamp matches: it says so" grep -q "repeated the spot runs us, the other regions stand" "$T/out"
cp "$T/st/doc.md" "$T/st/written.md"
sed -i 's/Alone, P is <!-- v:other:0:p_rung_ge_7:.3f -->[0-9.]*</Alone, P is <!-- v:other:0:p_rung_ge_7:.3f -->0.999</' "$T/st/doc.md"
expect_exit 1 "a number of another run edited by hand: stale (the document is an input)" \
    $D --check "$T/st/doc.md" --keep "$T/k2"
check "... found by repeating every run" bash -c "grep -q '^-Alone, P is .*0\.999' '$T/out' && [ -e '$T/k2/other.h5' ]"
cp "$T/st/written.md" "$T/st/doc.md"
echo "# a comment" >>"$T/st/doc.blocks"
expect_exit 0 "the spec changed: every run is repeated, and the document is up to date" \
    $D --check "$T/st/doc.md" --keep "$T/k3"
check "... every run" bash -c "[ -e '$T/k3/us.h5' ] && [ -e '$T/k3/other.h5' ]"
check "... and it says the stamp is stale" grep -q "every run repeated: .*doc.stamp does not match" "$T/out"
expect_exit 0 "--write again refreshes the stamp" $D --write "$T/st/doc.md"
expect_exit 0 "--full ignores a matching stamp" $D --check "$T/st/doc.md" --full --keep "$T/k4"
check "... every run" bash -c "[ -e '$T/k4/us.h5' ] && [ -e '$T/k4/other.h5' ]"
sed -i 's/"spot": \["us"\]/"spot": ["nosuch"]/' "$T/st/doc.blocks"
expect_exit 2 "a spot run the spec does not have" $D --check "$T/st/doc.md"
err_has 'doc.blocks: "spot" names run "nosuch", which "runs" does not have'
echo '{"runs": {}, "blocks": {' >"$T/broken.blocks"
cp "$T/written.md" "$T/broken.md"
expect_exit 2 "a spec that is not a Python literal" $D --check "$T/broken.md"
err_has "broken.blocks:"
[ $fails -eq 0 ]
