using System;
using NormGen.Samples.SentenceEmbeddings;

// all-MiniLM-L6-v2 sentence embeddings on NormGen's generated LayerNorm kernels, checked against ONNX Runtime.
return CommandLine.Run(args, Console.Out, Console.Error);
