"""The reference workloads of DESIGN.md as PyTorch modules whose state_dict
names match what nncc generates for the examples/*.nn files."""
import torch
from torch import nn


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(
            nn.Flatten(), nn.Linear(784, 256), nn.ReLU(),
            nn.Linear(256, 128), nn.ReLU(), nn.Linear(128, 10))
        self.criterion = nn.CrossEntropyLoss()

    def forward(self, image):
        return self.layers(image)


WORKLOADS = {"mlp": (MLP, "examples/mlp.nn", (1, 28, 28))}
