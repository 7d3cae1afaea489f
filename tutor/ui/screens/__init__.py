"""The tutor's screens: home, lesson, help, and the too-small notice."""
