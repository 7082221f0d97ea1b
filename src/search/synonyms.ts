/**
 * The search thesaurus, as data: the field's acronyms with the words they stand for, and British
 * spellings with their American twins. A search for any form of an entry finds every form, in
 * alerts and in the stores' full-text search alike. docs/queries.md lists the table (a test keeps
 * the two in step); each entry says where the recorded Daily Papers use it, so it is here because
 * papers really write one form and readers search for the other.
 *
 * Forms are written as a reader would type them; they are cut into words and stemmed like any text
 * ("retrieval-augmented generation" is retrieval, augmented, generation) and match as a phrase:
 * side by side, as terms of art are written ("code language model", not "language and code, …
 * model"), unless listed as `near`.
 * `narrower` forms are found by a search for the entry but do not find it: a search for LLM finds
 * papers on multimodal LLMs; a search for MLLM does not find every LLM paper.
 */

/**
 * Families of large language models, found by a search for LLM: a paper that trains Qwen3 or
 * evaluates GPT-5 and Claude is about LLMs whether or not it says so. A family name followed by its
 * version ("Qwen3", "Llama2", "InternLM2") also stands for the family, as "GraphRAG" stands for RAG.
 * Only names that mean nothing else in the field's papers.
 */
export const modelFamilies: readonly string[] = [
  'Qwen',
  'QwQ',
  'LLaMA',
  'Vicuna',
  'Mistral',
  'Mixtral',
  'Gemma',
  'Gemini',
  'Claude',
  'GPT',
  'ChatGPT',
  'DeepSeek',
  'InternLM',
  'Baichuan',
  'OLMo',
  'Kimi',
];

export interface SynonymEntry {
  same: readonly string[];
  /** Terms found by a search for the entry, side by side as written. */
  narrower?: readonly string[];
  /** Two ideas rather than one term, found by a search for the entry when their words stand near each other ("routes … among experts"). */
  near?: readonly string[];
  why: string;
}

export const synonyms: readonly SynonymEntry[] = [
  {
    same: ['LLM', 'large language model'],
    narrower: [
      'MLLM',
      'LVLM',
      'LRM',
      'LMM',
      'VLM',
      'language model',
      'open-weight model',
      'frontier model',
      'language agent',
      'coding agent',
      'computer-use agent',
      'GUI agent',
      'terminal agent',
      'web agent',
      'KV cache',
      'RLVR',
      ...modelFamilies,
    ],
    why: 'Every day: "Large language models (LLMs) …", then "LLM" alone; architecture papers say "language models". Many never name the kind, only the model: RLVR on Qwen3, agents on GPT-5 and Claude, LLaMA-70B served on old GPUs.',
  },
  {
    same: ['MLLM', 'multimodal large language model', 'multimodal LLM', 'multi-modal large language model'],
    why: 'MedQ-Bench, RewardMap, LLaVA-UHD v4 spell it out once, then write MLLM.',
  },
  { same: ['LVLM', 'large vision-language model'], why: 'UniProbe, FrameThinker, multimodal knowledge editing.' },
  {
    same: ['VLM', 'vision-language model', 'visual language model'],
    why: 'AGILE, NaviDC-OCR; the visual multi-agent paper writes "Visual Language Models (VLMs)".',
  },
  { same: ['LMM', 'large multimodal model'], why: 'Beyond LLaVA-HD (2024) calls MLLMs "Large Multimodal Models (LMMs)".' },
  { same: ['LRM', 'large reasoning model'], why: 'The Parallel Scaling Law and ExGRPO papers.' },
  { same: ['VLA', 'vision-language-action model'], why: 'VLA-R1, CapVector, EXIMO.' },
  {
    same: ['MoE', 'mixture of experts'],
    near: ['expert routing'],
    why: 'DECO, SlimQwen, MoE-ViE: "Mixture-of-Experts (MoE)", then MoE; FreeToken says only MoE; SplatWeaver routes among experts without the name.',
  },
  {
    same: ['RL', 'reinforcement learning'],
    narrower: ['RLVR', 'RLHF', 'GRPO', 'PPO', 'policy gradient', 'reinforcement fine-tuning', 'reinforcement post-training', 'reinforcement pretraining'],
    why: 'VOGUE ("RL fine-tuning"), RewardMap ("multi-stage RL"), ClawGym II ("black-box RL"); G-Zero names only GRPO.',
  },
  { same: ['RLVR', 'reinforcement learning with verifiable rewards', 'reinforcement learning from verifiable rewards'], why: 'VOGUE, ExGRPO, VLA-R1, RLRT.' },
  { same: ['RLHF', 'reinforcement learning from human feedback'], why: 'Auto-Rubric as Reward.' },
  { same: ['GRPO', 'group relative policy optimization'], why: 'RL4HS, VLA-R1, ExGRPO; ROMA and G-Zero write only GRPO.' },
  { same: ['PPO', 'proximal policy optimization'], why: 'ClawGym II adapts "critic-based PPO".' },
  {
    same: ['RAG', 'retrieval-augmented generation'],
    narrower: ['retrieval-augmented'],
    why: 'D-SCAN ("RAG poisoning"), ConceptFormer; GraphRAG-style names end in RAG.',
  },
  {
    same: ['3DGS', '3D Gaussian splatting', 'Gaussian splatting', '3D Gaussians'],
    why: 'StealthAttack, SplatWeaver, GS-Voxel; Physics3D (2024) writes "3D Gaussians"; 4DAnyone "4D Gaussian Splatting".',
  },
  { same: ['NeRF', 'neural radiance field'], why: 'StealthAttack: "Neural Radiance Fields (NeRF)".' },
  { same: ['ViT', 'vision transformer'], why: 'Hibou, Kolmogorov-Arnold Attention, LLaVA-UHD v4 ("post-ViT compression").' },
  { same: ['DiT', 'diffusion transformer'], why: 'AV-DiT, Ovi ("twin-DiT"), PixRestore, 4DAnyone.' },
  { same: ['CoT', 'chain of thought'], why: 'RL4HS, RLP, VLA-R1.' },
  { same: ['KV cache', 'key-value cache'], why: 'Make Each Token Count, MELT, FlashPrefill V2.' },
  { same: ['SSM', 'state space model'], why: 'Chimera (2024) and the 2025 survey of SSMs.' },
  { same: ['ASR', 'automatic speech recognition', 'speech recognition'], why: 'The ASR benchmark-optimisation paper.' },
  { same: ['SFT', 'supervised fine-tuning'], why: 'RewardMap, FrameThinker, LLiMba, MathForm.' },
  {
    same: ['generation', 'synthesis', 'synthesize'],
    why: 'Marionette "synthesizes photorealistic" video frames, aDSL agents "synthesize code": a search for video or code generation should find them.',
  },
  {
    same: ['medical', 'medicine'],
    narrower: ['clinical', 'biomedical', 'radiology', 'pathology', 'healthcare'],
    why: 'Stems differ (medic, medicin): over 558 days "medicine" found 10 papers where "medical" found 89. The radiology-report and pathology papers never say "medical" twice.',
  },
  {
    same: ['robotics', 'robot'],
    narrower: ['humanoid', 'VLA', 'gripper', 'teleoperation', 'object manipulation'],
    why: 'CapVector and EXIMO fine-tune VLA policies, HumanTracker tracks humanoids, SoftVTBench grips deformable objects.',
  },
  { same: ['diffusion'], narrower: ['DiT'], why: 'Ovi and DragFlow build on DiTs and seldom spell out diffusion.' },
  {
    same: ['code generation', 'program synthesis', 'code synthesis'],
    narrower: ['coding agent', 'code LLM', 'code language model'],
    why: 'SWE-bench Science and Agent Lightning study coding agents; LongCodeZip code LLMs.',
  },
  {
    same: ['long context', 'long-context'],
    narrower: ['context length', 'context window'],
    why: 'VideoNSA: "limited by context length"; FlashPrefill V2 and Mela: "long-context".',
  },
];

/** British spellings and their American twins: either finds both, in every inflection. */
export const spellings: readonly (readonly [british: string, american: string])[] = [
  ['quantisation', 'quantization'],
  ['quantise', 'quantize'],
  ['optimisation', 'optimization'],
  ['optimise', 'optimize'],
  ['generalisation', 'generalization'],
  ['normalisation', 'normalization'],
  ['regularisation', 'regularization'],
  ['tokenisation', 'tokenization'],
  ['tokeniser', 'tokenizer'],
  ['summarisation', 'summarization'],
  ['visualisation', 'visualization'],
  ['parameterisation', 'parameterization'],
  ['specialise', 'specialize'],
  ['recognise', 'recognize'],
  ['utilise', 'utilize'],
  ['characterise', 'characterize'],
  ['synthesise', 'synthesize'],
  ['minimise', 'minimize'],
  ['maximise', 'maximize'],
  ['prioritise', 'prioritize'],
  ['organisation', 'organization'],
  ['randomise', 'randomize'],
  ['analyse', 'analyze'],
  ['behaviour', 'behavior'],
  ['colour', 'color'],
  ['neighbour', 'neighbor'],
  ['favour', 'favor'],
  ['centre', 'center'],
  ['defence', 'defense'],
  ['artefact', 'artifact'],
  ['modelling', 'modeling'],
  ['labelling', 'labeling'],
];

/**
 * Phrases in which a word does not mean what a search for it means: "next-generation MLLMs" are
 * not about generation, a vector-quantised tokenizer is not a quantised model. Alerts skip such an
 * occurrence unless the search itself names the phrase (the stores' engines cannot tell).
 */
export const notMeant: readonly { phrase: string; word: string; why: string }[] = [
  { phrase: 'next generation', word: 'generation', why: 'VideoGAIA evaluates "next-generation MLLMs"; it generates nothing.' },
  { phrase: 'GPT 2', word: 'GPT', why: 'GPT-2 is a small language model of 2019, the usual size of a toy experiment (masked diffusion at GPT-2 scale).' },
  { phrase: 'GPT image', word: 'GPT', why: 'GPT-Image makes pictures (WithEveryone compares against it).' },
  { phrase: 'Qwen image', word: 'Qwen', why: 'Qwen-Image is an image generator, not a language model (its technical report).' },
  {
    phrase: 'vector quantization',
    word: 'quantization',
    why: 'The issue measured 29% precision for "quantization": mostly VQ tokenizers (MegaParts: "vector-quantized shape tokenizer").',
  },
];
