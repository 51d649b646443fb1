"""The global search box's popup: merchants and terminals by name, pinyin, phone and number."""
