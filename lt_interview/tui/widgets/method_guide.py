"""Method guidance shown beside the analysis forms, read from the review's copy of `prompts/`:
the six typology categories with their descriptions where findings are categorised, and the
bias guidance where key practice episodes are appraised. Plain Text, never markup."""

from __future__ import annotations

from rich.text import Text
from textual.widgets import Static

from lt_interview.domain.structure import MethodStructure


def typology_text(structure: MethodStructure) -> Text:
    text = Text()
    text.append("The typology of underlying patterns\n", style="bold")
    for category in structure.typology.category:
        text.append(f"{category.number}. {category.label}", style="bold")
        if category.label_2008 and category.label_2008 != category.label:
            text.append(f" ({category.label_2008})")
        text.append("\n")
        if category.description:
            text.append(f"   {category.description}\n")
        if category.examples:
            text.append(f"   Such as: {'; '.join(category.examples)}.\n", style="italic")
    text.append("The categories overlap; map an explanation to each that fits.")
    return text


def bias_guidance_text(structure: MethodStructure) -> Text:
    biases = structure.biases
    text = Text()
    own = biases.reviewers_own()
    if own:
        text.append("Before you appraise: your own reading\n", style="bold")
        for bias in own:
            text.append(f"{bias.label}: ", style="bold")
            text.append(f"{bias.description}\n")
        text.append("Appraise against what could reasonably be expected at the time, with what was known then.\n")
    tags = biases.tags()
    if tags:
        text.append("Reasoning biases that may help explain practice (tags on the explanation, never on a person)\n",
                    style="bold")
        for bias in tags:
            text.append(f"{bias.label}: ", style="bold")
            text.append(f"{bias.description}\n")
    return text


class TypologyGuide(Static):
    DEFAULT_CSS = "TypologyGuide { color: $text-muted; padding: 0 1; border: round $panel-lighten-2; }"

    def __init__(self, structure: MethodStructure, **kwargs) -> None:
        super().__init__(typology_text(structure), markup=False, **kwargs)


class BiasGuide(Static):
    DEFAULT_CSS = "BiasGuide { color: $text-muted; padding: 0 1; border: round $panel-lighten-2; }"

    def __init__(self, structure: MethodStructure, **kwargs) -> None:
        super().__init__(bias_guidance_text(structure), markup=False, **kwargs)
