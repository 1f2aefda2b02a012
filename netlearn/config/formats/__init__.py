"""Input formats for every English locale we serve (FORMAT_MODULE_PATH).

Browsers' date and datetime-local inputs accept only ISO 8601 values (2025-07-01,
2025-07-01T15:30); Django's English locales render a date as 01/07/2025, which such an input
silently drops, so an edit form would come back empty. ISO comes first, so every widget renders
it; the day-first forms stay accepted for typed text.
"""
