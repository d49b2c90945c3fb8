"""The course's table of contents: one place for every notebook's file, title and aim."""

NOTEBOOKS = [
    ("00_index.ipynb", "Course map", "Where everything is, and in which order to read it."),
    (
        "01_forward_pass.ipynb",
        "The forward pass",
        "Follow two inputs through a small network to its prediction, by hand and live.",
    ),
    (
        "02_error.ipynb",
        "The error",
        "Measure how wrong a prediction is with ½(ŷ − y)², and see how a weight moves it.",
    ),
    (
        "03_chain_rule_output_weights.ipynb",
        "The chain rule for the output weights",
        "Find ∂E/∂w6 and ∂E/∂w5 one factor at a time, and take a gradient step.",
    ),
    (
        "04_chain_rule_hidden_weights.ipynb",
        "The chain rule for the hidden weights",
        "Carry the error back through w5 and w6 to w1–w4: a whole backward pass.",
    ),
    (
        "05_matrix_form.ipynb",
        "Matrix form, training and the learning rate",
        "Write the six updates as two matrix updates, train, and find where training diverges.",
    ),
    (
        "06_activations_and_biases.ipynb",
        "Activations and biases",
        "Add ReLU, sigmoid or tanh and a bias to every unit, and fix a buggy backward pass.",
    ),
    (
        "07_deeper_networks.ipynb",
        "Deeper networks",
        "Backpropagate through many layers, watch gradients vanish or explode, learn XOR.",
    ),
]

COURSE_TITLE = "Backpropagation, step by step"
