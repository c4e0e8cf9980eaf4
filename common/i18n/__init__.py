"""Languages: detecting a text's language, and the wording of documents in each supported one.

The wording is data (``common/resources/languages/<code>.yaml``): adding a language is adding
a file.
"""
