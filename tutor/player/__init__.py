"""Playing a lesson: a real run moved step by step, and the text of each step filled from it."""
