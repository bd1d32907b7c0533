"""How the patrol's classifier heads are made: the project's corpus (corpus/, written by
write_corpus.py from templates/, plus the hand-written corpus/heldout*.jsonl that nothing
trains on), `train(examples) -> Model`, and the thresholds chosen on held-back folds.
Run it with `frontstage patrol train`. Imports scikit-learn; the engine never imports this."""
