"""The exercises' self-checks, one module per notebook; each returns a Verdict."""

from .nb01_overview import check_generate_shape, check_parameter_count, check_pipeline_logits_shape
from .nb02_imports_and_seeding import (
    check_cross_entropy_module,
    check_generator_draws,
    check_linear_parameters,
    cross_entropy_exercise,
)
from .nb03_data_and_tokens import check_char_id, check_split_sizes, check_val_newlines
from .nb04_get_batch import check_largest_start, check_target_char, check_val_batch
from .nb05_embedding_and_logits import check_embedding_row, check_flat_shapes, check_logits_shape
from .nb06_cross_entropy_and_nll import (
    check_cross_entropy_function,
    check_rows_with_grad,
    check_uniform_loss,
)
from .nb07_training_loop import check_sgd_step_change, check_step_order
from .nb08_generation import check_generated_shape, check_greedy_text, check_prob_space_after_e
from .nb09_counting_vs_learning import check_count_prob, check_pairs_seen_once
from .nb10_notes_video_and_bigram_py import check_last_lecture_start, check_own_stream_val_loss
from .nb11_your_own_text import check_own_pairs_seen, check_own_unigram_loss
from .verdict import Verdict, show_solution

__all__ = [
    "Verdict",
    "check_char_id",
    "check_count_prob",
    "check_cross_entropy_function",
    "check_cross_entropy_module",
    "check_embedding_row",
    "check_flat_shapes",
    "check_generate_shape",
    "check_generated_shape",
    "check_generator_draws",
    "check_greedy_text",
    "check_largest_start",
    "check_last_lecture_start",
    "check_linear_parameters",
    "check_logits_shape",
    "check_own_pairs_seen",
    "check_own_stream_val_loss",
    "check_own_unigram_loss",
    "check_pairs_seen_once",
    "check_parameter_count",
    "check_pipeline_logits_shape",
    "check_prob_space_after_e",
    "check_rows_with_grad",
    "check_sgd_step_change",
    "check_split_sizes",
    "check_step_order",
    "check_target_char",
    "check_uniform_loss",
    "check_val_batch",
    "check_val_newlines",
    "cross_entropy_exercise",
    "show_solution",
]
