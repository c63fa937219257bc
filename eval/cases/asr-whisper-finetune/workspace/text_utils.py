"""Transcript normalisation shared by the data preparation step.

Welsh orthography uses circumflexes and diaereses (â ê î ô û ŵ ŷ, ë ï ...) and the
apostrophe in contractions such as "i'r" or "a'r", so we keep letters with
diacritics and the ASCII apostrophe and only strip sentence punctuation.
"""

import re
import unicodedata

# Characters removed from transcripts (replaced by a space).
PUNCTUATION_RE = re.compile(r"[,?.!\-;:\"“”%‘’«»()\[\]…–—]")
WHITESPACE_RE = re.compile(r"\s+")


def normalize_transcript(text: str) -> str:
    """NFC-normalise, lower-case and remove punctuation from a transcript."""
    text = unicodedata.normalize("NFC", text)
    text = text.lower()
    text = PUNCTUATION_RE.sub(" ", text)
    text = WHITESPACE_RE.sub(" ", text).strip()
    return text


if __name__ == "__main__":
    for sample in ["Mae'r tywydd yn braf heddiw!", "Sut wyt ti?  Dw i'n iawn, diolch."]:
        print(f"{sample!r} -> {normalize_transcript(sample)!r}")
