"""Guided lessons a teacher can link to: each is a page, a preset (link fields), a few sentences and a
question for the student. `?lesson=<id>` on the page's link opens it."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Lesson:
    id: str
    page: str  # the lab's URL path
    title: str
    preset: dict[str, str] = field(default_factory=dict)  # link fields, as in a share link
    text: str = ""
    question: str = ""


LESSONS: tuple[Lesson, ...] = (
    Lesson("backprop_by_hand", "learning_lab", "One step of backprop by hand",
           {"view": "backprop", "bp_net": "2-2-1", "bp_act": "sigmoid", "bp_loss": "mse", "bp_batch": "1"},
           "A 2-2-1 network and one sample. Press Next to walk through one training step: the forward pass layer "
           "by layer, the loss, the backward pass, the update. Pick a weight on the right to see its chain rule "
           "with the real numbers.",
           "Check one gradient by hand from the numbers on the drawing. Does it match the finite difference? "
           "Press Take this step a few times: does the loss fall? What happens at learning rate 3?"),
    Lesson("lr_real_landscape", "learning_lab", "A learning rate too high on a real landscape",
           {"view": "landscape", "nl_data": "circle", "nl_lr": "3"},
           "A small network trained here on the circle at learning rate 3. Press Map the landscape: the loss around "
           "the trained weights, the path training took, and a range test of learning rates.",
           "Does the path settle into the valley or jump across it? Where does the range test say the loss falls "
           "fastest? Set the learning rate to that value, map again, and compare the paths."),
    Lesson("momentum_ravine", "learning_lab", "Why momentum helps in a ravine",
           {"landscape": "ravine", "racers": "sgd,momentum", "lr": "0.08"},
           "A narrow valley, 100 times steeper across than along. Both optimizers start from the same point with "
           "the same learning rate. Press Play and follow their paths.",
           "Which one reaches the bottom first? Why does plain SGD crawl along the valley floor, and why does "
           "momentum swing across it on the way? Raise the learning rate to 0.1, then 0.3: what happens to each?"),
    Lesson("lr_too_high", "playground", "A learning rate too high",
           {"dataset": "circle", "features": "x1,x2", "layers": "4tanh,2tanh", "lr": "3", "batch": "10"},
           "The learning rate is how far the weights move at each step. Press Play and watch the loss curve and "
           "the output map.",
           "What happens to the loss at 3? Lower the learning rate step by step: which is the largest that "
           "still learns smoothly?"),
    Lesson("depth_needs_nonlinearity", "playground", "Why depth needs a non-linearity",
           {"dataset": "xor", "features": "x1,x2", "layers": "8identity,8identity,8identity", "lr": "0.03"},
           "This network has three hidden layers, but every activation is the identity: each layer is a linear "
           "map, and linear maps stacked are still one linear map.",
           "Train it: can it separate XOR? Now change the activations to ReLU or tanh. Why does that help?"),
    Lesson("vanishing_sigmoid", "playground", "Vanishing gradients with sigmoid",
           {"dataset": "spiral", "features": "x1,x2,sin(x1),sin(x2)",
            "layers": "8sigmoid,8sigmoid,8sigmoid,8sigmoid,8sigmoid,8sigmoid", "lr": "0.1", "view": "grad_norms"},
           "Six sigmoid layers. Sigmoid's slope is at most 0.25, so each layer shrinks the gradient on its way "
           "back. The gradient-norm view shows every layer's gradient.",
           "Which layers learn slowest, and why? Swap sigmoid for ReLU and compare the gradient norms."),
    Lesson("overfitting", "playground", "Overfitting and regularization",
           {"dataset": "spiral", "noise": "0.3", "ratio": "0.2", "features": "x1,x2,x1^2,x2^2,x1*x2,sin(x1),sin(x2)",
            "layers": "16relu,16relu,16relu", "optimizer": "adam", "lr": "0.01", "show_test": "1"},
           "Only 20% of the noisy points train this big network; the test points are shown too.",
           "Watch the training and test loss: when do they part? Turn on L2 regularization (0.003 or 0.01) and "
           "train again. What changes in the output map and in the test loss?"),
    Lesson("memorizing_vs_learning", "generalization_lab", "Memorizing vs learning",
           {"view": "variants", "data": "moons", "noise": "0.4", "n": "40", "width": "32", "depth": "3",
            "variants": "baseline,smaller,early_stop"},
           "Forty noisy points and a network of three layers of 32 units: far more weights than points. It trains "
           "beside a smaller network and a copy that stops early. Dotted lines are the training loss, solid lines "
           "the test loss on 400 points none of them sees.",
           "When does the baseline's test loss start to rise while its training loss keeps falling? Look at its "
           "decision boundary: what is it bending around? Which variant's boundary looks most like the two moons?"),
    Lesson("dropout_ensemble", "generalization_lab", "Dropout as an ensemble",
           {"view": "variants", "data": "moons", "noise": "0.4", "variants": "baseline,dropout", "dropout": "0.5"},
           "At every step dropout switches off half the hidden units at random, so each step trains a different "
           "thinned network; at test time all units are on, which averages those many networks.",
           "Compare the two boundaries: which one is smoother? Try dropout 0.1 and 0.8 in Strengths: what happens "
           "to the training loss and to the gap?"),
    Lesson("more_data_or_regularization", "generalization_lab", "More data or more regularization?",
           {"view": "variants", "data": "circle", "noise": "0.3", "label_noise": "0.1",
            "variants": "baseline,l2,augment,more_data"},
           "The circle with 10% of its training labels flipped (ringed points). L2, jittered copies of the points "
           "and five times as many points train beside the baseline.",
           "Which remedy closes the gap most? Then open Sweeps, Training-set size: how many points does this "
           "network need before the test error stops falling?"),
    Lesson("why_rnn_forgets", "sequence_lab", "Why a plain RNN forgets",
           {"view": "train", "task": "delay", "length": "60", "cells": "rnn,lstm", "inside": "rnn"},
           "The first step shows A, B, C or D; sixty random steps later the network must say which. A plain RNN "
           "and an LSTM train side by side on the same sequences: the LSTM is right within a few epochs, while "
           "the RNN guesses (25%, chance) for many more, about twenty epochs at this seed. The chart on the right "
           "is the gradient of the last step's loss as it travels back to each earlier step.",
           "How far back does the RNN's gradient reach before it is a millionth of what it was? What does that "
           "mean for learning what the first step said? If the RNN gets there at last, that is Adam's doing: it "
           "scales each weight's step by that weight's recent gradients, so even a millionth moves it. Then open "
           "Accuracy vs delay: at which delay does the RNN fall to chance?"),
    Lesson("forget_gate", "sequence_lab", "What the forget gate does",
           {"view": "train", "task": "delay", "length": "30", "cells": "lstm", "inside": "lstm"},
           "An LSTM on the memory task. Its cell state is the memory; the forget gate decides, at every step and "
           "for every unit, how much of it to keep (1: all of it), the input gate how much of the new step to "
           "write.",
           "Train it, pause, and look at the gates below: which units write at the first step and then keep "
           "their forget gate near 1? What happens to those units' cell state at the distractor steps?"),
    Lesson("attention_copies", "attention_lab", "How attention finds the token to copy",
           {"view": "train", "task": "reverse", "length": "8", "layers": "1", "heads": "1", "causal": "true"},
           "A one-layer, one-head Transformer learns to write eight digits backwards. To write each answer digit, "
           "the place before it must find one digit of the prompt and copy it; the attention map on the right shows "
           "where every place looks.",
           "Train until the accuracy passes 90%, then pause. Which pattern appears in the map, and why is it an "
           "anti-diagonal? Open One query, step by step: which score wins the softmax, and by how much?"),
    Lesson("heads_specialize", "attention_lab", "Heads that specialize",
           {"view": "train", "task": "sort", "length": "8", "layers": "2", "heads": "4"},
           "Sorting needs more than one kind of looking: where the digits are, how many of each there are, what "
           "was already written. Four heads in each of two layers train at once, each with its own queries and "
           "keys.",
           "Train, pause, and compare the heads: which ones look at the prompt, which at the answer so far? Slide "
           "the checkpoint back: do they start alike and grow apart?"),
    Lesson("ae_spots_the_unseen", "generative_lab", "An autoencoder spots what it never saw",
           {"view": "anomaly", "data": "digits", "left_out": "1", "bottleneck": "4"},
           "An autoencoder trains on every handwritten digit except the ones. It learns to squeeze and rebuild "
           "the digits it sees; a 1 it has never seen comes out wrong, so its reconstruction error is high. "
           "That error is an anomaly score.",
           "Train it, then read the histogram: where do the 1s fall? Move the threshold: what do you gain in "
           "recall and lose in precision? Leave out another digit: which ones are hard to spot, and why?"),
    Lesson("mode_collapse", "generative_lab", "Mode collapse",
           {"view": "gan", "target": "ring", "loss": "minimax", "compare": "nonsaturating,wgan_gp", "k": "1"},
           "Three GANs learn the same ring of eight Gaussians from the same seed: the original minimax loss, the "
           "non-saturating loss and the Wasserstein loss with a gradient penalty. The chart counts the modes "
           "each one's samples cover.",
           "Which ones cover all eight modes, and which crowd their samples into a few? Watch the generated "
           "points move: does a collapsed generator jump from mode to mode? Try k = 5 for the Wasserstein GAN."),
    Lesson("pretraining_less_data", "transfer_lab", "Why pretraining needs less data",
           {"view": "curve", "modes": "scratch,frozen"},
           "The same network learns three shapes from 1, 2, 5, 10 or all of its images per class: once with every "
           "weight random, once on top of TinyVGG's convolutions, pretrained on other pictures of shapes and kept "
           "frozen.",
           "Run the sweep. How many images per class does training from scratch need to catch up? Then go to "
           "Train and compare with your own classes from the webcam: does the backbone still help?"),
    Lesson("cnn_layers", "cnn_lab", "What a CNN sees, layer by layer",
           {"model": "tinyvgg", "source": "photo", "photo": "chelsea", "tab": "hierarchy", "hide": "model,train"},
           "Edges to objects: for each layer, the channel that fires most on this photo. Early layers answer to "
           "edges and colours; later ones to larger patterns.",
           "Pick a sample of each class. Which layer first looks different for a star and for a ring?"),
    Lesson("trust_saliency", "explain_lab", "Can we trust a saliency map?",
           {"model": "tinyvgg", "methods": "saliency,guided_backprop,gradcam,integrated_gradients",
            "hide": "model,training"},
           "Four maps of the same prediction. In \"Can we trust it?\", run the sanity check: it replaces the "
           "weights with random ones, layer by layer, and re-draws each map.",
           "Which maps hardly change when the network knows nothing any more? What does that say about them?"),
)
BY_ID = {lesson.id: lesson for lesson in LESSONS}
