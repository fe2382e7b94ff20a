"""The labs the app registers: one line per lab feeds the navigation, the Home page, the header,
links, lessons and hide flags. Adding a lab = `core/<lab>/` + `ui/<lab>/` + a page + one line here
(+ its lessons in `core/lessons.py`)."""

from __future__ import annotations

from dataclasses import dataclass

from core.attention.fields import ATTENTION_LAB
from core.attention.fields import HIDEABLE as ATTENTION_HIDEABLE
from core.cnn.fields import CNN_LAB
from core.cnn.fields import HIDEABLE as CNN_HIDEABLE
from core.explain.fields import EXPLAIN_LAB
from core.explain.fields import HIDEABLE as EXPLAIN_HIDEABLE
from core.generalization.fields import GENERALIZATION_LAB
from core.generalization.fields import HIDEABLE as GENERALIZATION_HIDEABLE
from core.generative.fields import GENERATIVE_LAB
from core.generative.fields import HIDEABLE as GENERATIVE_HIDEABLE
from core.learning.fields import HIDEABLE as LEARNING_HIDEABLE
from core.learning.fields import LEARNING_LAB
from core.playground.fields import HIDEABLE as PLAYGROUND_HIDEABLE
from core.playground.fields import PLAYGROUND
from core.sequence.fields import HIDEABLE as SEQUENCE_HIDEABLE
from core.sequence.fields import SEQUENCE_LAB
from core.share import Field
from core.transfer.fields import HIDEABLE as TRANSFER_HIDEABLE
from core.transfer.fields import TRANSFER_LAB


@dataclass(frozen=True)
class Lab:
    id: str  # the page's name in links and lessons ("playground" for pages/playground.py)
    title: str
    icon: str
    blurb: str  # on Home
    caption: str = ""  # under the lab's title
    fields: tuple[Field, ...] = ()  # its share link
    hideable: tuple[str, ...] = ()  # what a link or a teacher can hide

    @property
    def path(self) -> str:
        return f"pages/{self.id}.py"


HOME = Lab("home", "Home", ":material/home:", "")

# Register a lab here only when its page works end to end.
LABS: tuple[Lab, ...] = (
    Lab("playground", "Playground", ":material/scatter_plot:",
        "Build a network layer by layer on 2D, tabular or your own CSV data, and watch it learn live: the "
        "output map, every neuron, loss curves, weights, gradients and health hints.",
        "Pick a dataset, build a network, press Play and watch it learn. Every number and picture here is "
        "computed live from the network you built.", PLAYGROUND, PLAYGROUND_HIDEABLE),
    Lab("cnn_lab", "CNN lab", ":material/grid_on:",
        "Look inside pretrained CNNs: every layer's feature maps from edges to objects, the filters, "
        "convolution, ReLU, pooling and softmax number by number, and what each channel looks for; or train "
        "your own CNN live.",
        "Pick a pretrained CNN and an image and look inside: every layer's feature maps, the filters, each "
        "operation with its numbers, what a channel looks for. Or build your own CNN and watch it learn.",
        CNN_LAB, CNN_HIDEABLE),
    Lab("explain_lab", "Explain lab", ":material/visibility:",
        "Open the black box of the model you just trained: Captum, SHAP and LIME side by side, whether to "
        "trust them (faithfulness and the randomization sanity check), maps over training, and a what-if editor.",
        "Why did the model say that? Attribution methods from Captum, SHAP and LIME answer on the same input, "
        "side by side; then check whether to trust them. Everything is computed now, on this model.",
        EXPLAIN_LAB, EXPLAIN_HIDEABLE),
    Lab("learning_lab", "Learning lab", ":material/trending_down:",
        "Backpropagation number by number on a small network, with the chain rule and a finite-difference "
        "check; SGD, momentum, RMSprop, Adagrad and Adam race down the same loss landscape, live; a learning "
        "rate too high zig-zags and flies off, too low crawls.",
        "How does training find good weights? Walk through one step of a small network number by number "
        "(forward, loss, backward, update), or watch optimizers step downhill on a loss that depends on two "
        "weights, so the whole landscape and every path can be drawn.",
        LEARNING_LAB, LEARNING_HIDEABLE),
    Lab("generalization_lab", "Generalization lab", ":material/compare_arrows:",
        "Memorizing vs learning: a network that overfits and its remedies (dropout, L2, batch norm, early "
        "stopping, augmentation, more data, a smaller network) trained side by side on the same data; sweeps of "
        "capacity, data and label noise; image augmentation previewed and measured.",
        "Does the network learn the pattern or memorize the points? The same network and its remedies train "
        "side by side on the same few points from the same seed; watch where training and test part.",
        GENERALIZATION_LAB, GENERALIZATION_HIDEABLE),
    Lab("sequence_lab", "Sequence lab", ":material/timeline:",
        "Recurrent networks trained live: a plain RNN, an LSTM and a GRU side by side on memory, counting, "
        "series and text tasks; their hidden states and gates over time, and the gradient that vanishes on its "
        "way back through time.",
        "Networks that read one step at a time and keep a memory. Train a plain RNN, an LSTM and a GRU on the "
        "same sequences and watch what each remembers, and how much gradient reaches the early steps.",
        SEQUENCE_LAB, SEQUENCE_HIDEABLE),
    Lab("attention_lab", "Attention lab", ":material/center_focus_strong:",
        "A tiny Transformer trained live on reversing, sorting, copying, adding or your own text: every head's "
        "attention map forming as it learns, one query's path number by number, positions, embeddings, "
        "generation with temperature and top-k, and the race against an LSTM as sequences grow.",
        "How does a Transformer (the T in GPT) decide where to look? Train a small one and watch its attention "
        "maps form: for each place, how much it looks at every other place.",
        ATTENTION_LAB, ATTENTION_HIDEABLE),
    Lab("generative_lab", "Generative lab", ":material/auto_awesome:",
        "Networks that make things: autoencoders squeeze data into a few numbers (a latent plane you can click "
        "to decode, a VAE, denoising) and spot what they never saw; GANs, a generator and a discriminator "
        "trained against each other on 2D targets and on images, with five losses side by side.",
        "Networks that learn to make data. An autoencoder learns to rebuild its input through a bottleneck of "
        "a few numbers; a GAN's generator learns to fool a discriminator. Both train live here.",
        GENERATIVE_LAB, GENERATIVE_HIDEABLE),
    Lab("transfer_lab", "Transfer lab", ":material/school:",
        "Your own images from the webcam, uploads or a zip, a few per class: a network trained from scratch, a "
        "pretrained backbone frozen under a new head, and one fine-tuned, side by side; and why pretraining "
        "needs less data.",
        "Bring a few images of each class. Three ways of training the same network learn them side by side: "
        "from scratch, on top of a pretrained backbone kept frozen, and fine-tuning it all.",
        TRANSFER_LAB, TRANSFER_HIDEABLE),
)
BY_ID: dict[str, Lab] = {lab.id: lab for lab in LABS}


def unknown_page(url: str | None, base_path: str = "") -> str:
    """The page a browser asked for that the app does not have ('' when it asked for a lab or Home).

    `url` is `st.context.url`: Streamlit trims a known page's path from it, so any path left past the
    app's base path names a page that does not exist (Streamlit then shows Home without a word)."""
    from urllib.parse import unquote, urlparse

    if not url:
        return ""
    path = unquote(urlparse(url).path).strip("/")
    base = base_path.strip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base):].strip("/")
    known = {lab.id for lab in LABS} | {HOME.id}
    return "" if not path or path in known else path[:60]
