"""What the tools know of the Hub: the client session (`session`), each failure's message (`errors`), the
typed project (`project`), the Hub's facts (`facts`) and the ids the Hub gives a file's content (`content`).

None of these imports `huggingface_hub` at module level: the copy task loads them where it may be missing.
"""
