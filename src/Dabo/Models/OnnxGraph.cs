using Google.Protobuf;
using Onnx;
using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// Builds the ONNX graph of a network's evaluation-mode forward, node by node, with the ONNX protobuf classes of
/// OnnxSharp: each layer adds the nodes it computes (<see cref="Classifier.EmitOnnx"/>), and every weight it reads
/// becomes a float32 initializer under the layer's state-dict name. Opset 13, IR version 7. It knows the network only
/// by its names and tensors, so that the layers can depend on it and not the other way round.
/// </summary>
internal sealed class OnnxGraph
{
    /// <summary>The operator set the nodes use (Conv, BatchNormalization, Gemm, … as defined there).</summary>
    public const int Opset = 13;

    private const int IrVersion = 7;
    private const int FloatType = (int)TensorProto.Types.DataType.Float;

    private readonly IReadOnlyList<string> _parameterNames;
    private readonly IReadOnlyDictionary<string, Tensor> _state;
    private readonly HashSet<string> _initialized = new(StringComparer.Ordinal);
    private readonly GraphProto _graph;
    private int _nodes;

    private OnnxGraph(string name, IReadOnlyList<string> parameterNames, IReadOnlyDictionary<string, Tensor> state)
    {
        _parameterNames = parameterNames;
        _state = state;
        _graph = new GraphProto { Name = name };
    }

    /// <summary>
    /// The model: input <c>image</c> (float32 <c>[N, C, height, width]</c>, pixels in [0, 1]), normalized inside the graph
    /// (Sub mean, Div std), outputs <c>logits</c> and <c>probabilities</c> (softmax) <c>[N, classes]</c>.
    /// <paramref name="parameterNames"/> are the state-dict names of the weights in the order layers index them;
    /// <paramref name="emitLogits"/> adds the forward from the normalized input and returns the logits' name.
    /// </summary>
    public static ModelProto Build(string name, IReadOnlyList<string> parameterNames, IReadOnlyDictionary<string, Tensor> state,
        int inputChannels, int classCount, long height, long width, IReadOnlyList<double> mean, IReadOnlyList<double> std, string docString,
        Func<OnnxGraph, string, string> emitLogits)
    {
        var g = new OnnxGraph(name, parameterNames, state);
        const string Input = "image";
        g._graph.Input.Add(ValueInfo(Input, [null, inputChannels, height, width]));
        long[] perChannel = [1, inputChannels, 1, 1];
        string meanName = g.Constant("normalization.mean", [.. mean.Select(m => (float)m)], perChannel);
        string stdName = g.Constant("normalization.std", [.. std.Select(s => (float)Math.Max(s, 1e-6))], perChannel);
        string normalized = g.Node("Div", [g.Node("Sub", [Input, meanName]), stdName]);
        string logits = emitLogits(g, normalized);
        g._graph.Node.Add(new NodeProto { OpType = "Identity", Name = "logits", Input = { logits }, Output = { "logits" } });
        g._graph.Node.Add(new NodeProto { OpType = "Softmax", Name = "probabilities", Input = { "logits" }, Output = { "probabilities" }, Attribute = { Int("axis", 1) } });
        g._graph.Output.Add(ValueInfo("logits", [null, classCount]));
        g._graph.Output.Add(ValueInfo("probabilities", [null, classCount]));
        var proto = new ModelProto
        {
            IrVersion = IrVersion,
            ProducerName = "Dabo",
            ProducerVersion = typeof(OnnxGraph).Assembly.GetName().Version?.ToString() ?? "",
            DocString = docString,
            Graph = g._graph,
        };
        proto.OpsetImport.Add(new OperatorSetIdProto { Domain = "", Version = Opset });
        return proto;
    }

    /// <summary>A bias-free (or, with <paramref name="biasIndex"/>, biased) square convolution with symmetric padding.</summary>
    public string Conv(string x, int weightIndex, int stride, int padding, int? biasIndex = null)
    {
        long kernel = _state[_parameterNames[weightIndex]].shape[2];
        List<string> inputs = [x, Weight(weightIndex)];
        if (biasIndex is int b)
        {
            inputs.Add(Weight(b));
        }
        return Node("Conv", inputs,
            Ints("kernel_shape", kernel, kernel), Ints("strides", stride, stride), Ints("pads", padding, padding, padding, padding));
    }

    /// <summary>BatchNorm in evaluation mode: the running statistics, the affine weight and bias.</summary>
    public string BatchNorm(string x, int weightIndex, string runningMean, string runningVar, double epsilon) =>
        Node("BatchNormalization", [x, Weight(weightIndex), Weight(weightIndex + 1), State(runningMean), State(runningVar)],
            new AttributeProto { Name = "epsilon", Type = AttributeProto.Types.AttributeType.Float, F = (float)epsilon });

    /// <summary><c>x Wᵀ + b</c> with PyTorch's <c>[out, in]</c> weight.</summary>
    public string Linear(string x, int weightIndex) =>
        Node("Gemm", [x, Weight(weightIndex), Weight(weightIndex + 1)], Int("transB", 1));

    public string Relu(string x) => Node("Relu", [x]);

    public string Add(string a, string b) => Node("Add", [a, b]);

    /// <summary>Max pooling with a square window and the same stride, no padding (floor), as <c>max_pool2d(x, k)</c>.</summary>
    public string MaxPool(string x, int kernel) => Node("MaxPool", [x], Ints("kernel_shape", kernel, kernel), Ints("strides", kernel, kernel));

    /// <summary><c>adaptive_avg_pool2d(x, 1).flatten(1)</c>.</summary>
    public string GlobalAveragePoolFlatten(string x) => Node("Flatten", [Node("GlobalAveragePool", [x])], Int("axis", 1));

    private string Node(string op, IEnumerable<string> inputs, params AttributeProto[] attributes)
    {
        string name = $"{op.ToLowerInvariant()}_{_nodes++}";
        var node = new NodeProto { OpType = op, Name = name, Output = { name } };
        node.Input.Add(inputs);
        node.Attribute.Add(attributes);
        _graph.Node.Add(node);
        return name;
    }

    private string Weight(int index) => State(_parameterNames[index]);

    private string State(string name)
    {
        if (_initialized.Add(name))
        {
            var tensor = _state.TryGetValue(name, out var t) ? t : throw new InvalidOperationException($"{_graph.Name} has no tensor {name}");
            using var values = tensor.detach().cpu().to_type(ScalarType.Float32).contiguous();
            AddInitializer(name, values.data<float>().ToArray(), values.shape);
        }
        return name;
    }

    private string Constant(string name, float[] values, long[] shape)
    {
        AddInitializer(name, values, shape);
        return name;
    }

    private void AddInitializer(string name, float[] values, long[] shape)
    {
        var proto = new TensorProto { Name = name, DataType = FloatType };
        proto.Dims.Add(shape);
        var bytes = new byte[values.Length * sizeof(float)];
        Buffer.BlockCopy(values, 0, bytes, 0, bytes.Length);
        if (!BitConverter.IsLittleEndian)
        {
            throw new PlatformNotSupportedException("ONNX raw data is little-endian");
        }
        proto.RawData = ByteString.CopyFrom(bytes);
        _graph.Initializer.Add(proto);
    }

    private static ValueInfoProto ValueInfo(string name, long?[] dims)
    {
        var shape = new TensorShapeProto();
        foreach (var d in dims)
        {
            shape.Dim.Add(d is long v ? new TensorShapeProto.Types.Dimension { DimValue = v } : new TensorShapeProto.Types.Dimension { DimParam = "N" });
        }
        return new ValueInfoProto { Name = name, Type = new TypeProto { TensorType = new TypeProto.Types.Tensor { ElemType = FloatType, Shape = shape } } };
    }

    private static AttributeProto Int(string name, long value) =>
        new() { Name = name, Type = AttributeProto.Types.AttributeType.Int, I = value };

    private static AttributeProto Ints(string name, params long[] values)
    {
        var attribute = new AttributeProto { Name = name, Type = AttributeProto.Types.AttributeType.Ints };
        attribute.Ints.Add(values);
        return attribute;
    }
}
