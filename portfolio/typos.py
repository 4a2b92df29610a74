"""What counts as correcting a typo in a client's review, measured with difflib.

A review stays in the client's own words: staff may correct spelling, never what was said.
An edit of the text, compared with the original the client wrote (never with the previous
edit, so small changes cannot add up), is a typo fix when:

- at most MAX_WORDS_CORRECTED words differ, each by at most MAX_CHARACTERS_PER_WORD characters
  (a letter or punctuation mark added, removed or changed, a capital, two letters swapped);
- no word is added or removed, except that a word typed twice may lose its copy ("the the"
  to "the", one correction) and words may be split or joined ("alot" to "a lot", one
  correction, with at most MAX_CHARACTERS_PER_WORD characters changed);
- spaces and line breaks between words may change freely.

So "recieve" to "receive" is a typo fix, "good" to "great" is not, and neither is adding
"not". A one-letter change can still change a meaning ("now" to "not"): the admin shows every
change beside the original, so staff see what they are saving.
"""

import difflib

MAX_WORDS_CORRECTED = 3
MAX_CHARACTERS_PER_WORD = 2


def characters_changed(old: str, new: str) -> int:
    """How many characters differ between two strings: each run that difflib does not match
    counts as its longer side."""
    matcher = difflib.SequenceMatcher(None, old, new, autojunk=False)
    return sum(
        max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in matcher.get_opcodes() if tag != "equal"
    )


def _without_doubled_words(words: list[str]) -> list[str]:
    """The words with any word typed twice in a row kept once ("the the" is "the")."""
    return [
        word
        for index, word in enumerate(words)
        if index == 0 or word.casefold() != words[index - 1].casefold()
    ]


def typo_fix_problem(original: str, edited: str) -> str | None:
    """Why `edited` is more than a typo fix of `original`, or None when it is one."""
    original_words, edited_words = original.split(), edited.split()
    before, after = _without_doubled_words(original_words), _without_doubled_words(edited_words)
    # Each doubled word dropped (or typed twice) is one correction.
    corrected = abs((len(original_words) - len(before)) - (len(edited_words) - len(after)))
    matcher = difflib.SequenceMatcher(None, before, after, autojunk=False)
    for tag, i1, i2, j1, j2 in matcher.get_opcodes():
        old, new = before[i1:i2], after[j1:j2]
        if tag == "equal":
            continue
        if tag == "insert":
            return f"“{' '.join(new)}” adds words the client did not write."
        if tag == "delete":
            return f"“{' '.join(old)}” removes words the client wrote."
        if len(old) == len(new):
            for old_word, new_word in zip(old, new, strict=True):
                if characters_changed(old_word, new_word) > MAX_CHARACTERS_PER_WORD:
                    return f"“{old_word}” becomes “{new_word}”, a different word."
            corrected += sum(o != n for o, n in zip(old, new, strict=True))
        else:
            # Words split or joined: the letters must stay nearly the same.
            if characters_changed("".join(old), "".join(new)) > MAX_CHARACTERS_PER_WORD:
                return f"“{' '.join(old)}” becomes “{' '.join(new)}”, different words."
            corrected += 1
    if corrected > MAX_WORDS_CORRECTED:
        return (
            f"{corrected} words are changed; a typo fix corrects at most "
            f"{MAX_WORDS_CORRECTED} words."
        )
    return None
