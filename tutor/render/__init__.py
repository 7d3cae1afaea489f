"""Rich renderables of a lesson and its real run, shared by plain output and the Textual widgets."""
