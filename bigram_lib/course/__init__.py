"""The course around the model: checks of what a learner passes in, the corpus and your own text, the cache of
the trained model, the sources' recipes, the command line, show_source, threads, interrupts and versions."""
