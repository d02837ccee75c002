"""pipthemes: code qualitative text with a codebook of themes, honestly.

>>> import pipthemes as pt
>>> cb = pt.load_codebook()
>>> len(cb)
7
"""

__version__ = "0.1.0"

from .agreement import agreement, alpha, masi  # noqa: E402
from .analysis import compare_groups, theme_frequencies  # noqa: E402
from .anonymise import anonymise, review_words  # noqa: E402
from .classifier import ThemeClassifier  # noqa: E402
from .coder import Coder  # noqa: E402
from .codebook import Codebook, Theme, load_codebook, write_codebook  # noqa: E402
from .codes import codes_from_themes, parse_themes, to_wide  # noqa: E402
from .corpus import read_corpus, read_survey, read_transcripts, segments_from_table  # noqa: E402
from .data import bundled_codebook, bundled_corpus, bundled_model, training_split  # noqa: E402
from .evaluation import disagreements, evaluate, learning_curve  # noqa: E402
from .errors import CodebookError, CorpusError, PipthemesError, PipthemesWarning, SchemaError  # noqa: E402
from .files import read_table  # noqa: E402
from .finetune import FineTunedEncoder  # noqa: E402
from .model_io import ModelError, load_coder, load_model, save_model  # noqa: E402
from .plots import plot_frequencies  # noqa: E402
from .quotes import representative_quotes  # noqa: E402
from .register import Register, load_register  # noqa: E402
from .report import analyse  # noqa: E402
from .rules import RuleCoder, rule_summary  # noqa: E402

__all__ = [
    "__version__",
    "Codebook", "Theme", "load_codebook", "write_codebook",
    "read_transcripts", "read_survey", "read_corpus", "read_table", "segments_from_table",
    "RuleCoder", "rule_summary",
    "ThemeClassifier", "FineTunedEncoder", "Coder", "save_model", "load_model", "load_coder", "ModelError",
    "codes_from_themes", "parse_themes", "to_wide",
    "theme_frequencies", "compare_groups",
    "anonymise", "load_register", "Register", "review_words",
    "agreement", "alpha", "masi",
    "plot_frequencies", "analyse", "representative_quotes",
    "bundled_codebook", "bundled_corpus", "bundled_model", "training_split",
    "evaluate", "disagreements", "learning_curve",
    "PipthemesError", "CodebookError", "CorpusError", "SchemaError", "PipthemesWarning",
]
