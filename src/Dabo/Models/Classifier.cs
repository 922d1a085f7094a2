using Onnx;
using TorchSharp;
using TorchSharp.Modules;
using static TorchSharp.torch;

namespace Dabo.Models;

/// <summary>
/// An image classifier <c>f(x; w)</c> with a functional forward: <see cref="Forward"/> runs the network
/// with weight tensors passed by the caller (e.g. look-ahead weights <c>w − η·g</c> that carry a graph),
/// which is what the bilevel step differentiates through. The ordinary <see cref="forward"/> delegates to
/// it, so each network is defined once.
/// </summary>
/// <remarks>
/// Parameters and BatchNorm running statistics are registered flat on this module with dotted,
/// PyTorch-like names (<c>stage1.0.conv1.weight</c>, <c>stem.bn.running_mean</c>), so
/// <c>state_dict</c>, save and load include them. Layers keep indices and names, never tensor
/// references, because <c>Module.to(dtype)</c> replaces the registered tensors.
/// </remarks>
public abstract class Classifier : nn.Module<Tensor, Tensor>
{
    private int _weightCount;

    /// <summary>Creates an empty classifier; subclasses add their layers in forward order.</summary>
    /// <param name="name">Registry name of the network (e.g. <c>resnet18</c>).</param>
    /// <param name="inputChannels">Channels of the input images (1 for grayscale, 3 for RGB).</param>
    /// <param name="classCount">Number of output logits.</param>
    protected Classifier(string name, int inputChannels, int classCount) : base(name)
    {
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(inputChannels);
        ArgumentOutOfRangeException.ThrowIfNegativeOrZero(classCount);
        Name = name;
        InputChannels = inputChannels;
        ClassCount = classCount;
    }

    /// <summary>Registry name of the network (e.g. <c>small-cnn</c>, <c>wrn-28-10</c>).</summary>
    public string Name { get; }

    /// <summary>Channels the input images must have.</summary>
    public int InputChannels { get; }

    /// <summary>Number of classes, i.e. of output logits.</summary>
    public int ClassCount { get; }

    /// <summary>
    /// All trainable tensors in the fixed order that <see cref="Forward"/> expects. Read it again after
    /// <c>to(dtype)</c> or <c>to(device)</c>: those replace the tensors.
    /// </summary>
    public IReadOnlyList<Parameter> Weights => parameters().ToArray();

    /// <summary>Total number of trainable scalars (BatchNorm running statistics excluded).</summary>
    public long ParameterCount => parameters().Sum(p => p.numel());

    /// <summary>
    /// Runs the network with <paramref name="weights"/> in place of its own parameters.
    /// The output is differentiable (to any order) with respect to those tensors.
    /// </summary>
    /// <param name="x">Images <c>[N, InputChannels, H, W]</c>; any H, W that survive the network's downsampling.</param>
    /// <param name="weights">One tensor per entry of <see cref="Weights"/>, same order and shapes.</param>
    /// <param name="mode">How BatchNorm layers normalize and whether they update the running statistics.</param>
    /// <param name="secondOrder">
    /// True when the caller differentiates the output twice (a backward with <c>create_graph</c>, then a
    /// backward through it). The network then runs in the plain NCHW layout, whose double-backward kernels
    /// libtorch implements well; otherwise it runs channels-last (see <see cref="RunsChannelsLast"/>), whose
    /// pooling and BatchNorm kernels are vectorized (docs/speed.md). Both layouts compute the same function.
    /// </param>
    /// <returns>Logits <c>[N, ClassCount]</c>.</returns>
    public Tensor Forward(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode, bool secondOrder = false)
    {
        ArgumentNullException.ThrowIfNull(x);
        ArgumentNullException.ThrowIfNull(weights);
        if (x.dim() != 4 || x.shape[1] != InputChannels)
        {
            throw new ArgumentException($"{Name} expects images [N, {InputChannels}, H, W], got [{string.Join(", ", x.shape)}]", nameof(x));
        }
        if (weights.Count != _weightCount)
        {
            throw new ArgumentException($"{Name} has {_weightCount} weight tensors, got {weights.Count}", nameof(weights));
        }
        return ForwardCore(!secondOrder && RunsChannelsLast ? ToChannelsLast(x) : x, weights, mode);
    }

    /// <summary>
    /// Whether first-order forwards run channels-last (default true: convolutional networks on CPU). A network
    /// whose first operation is not a convolution (an MLP) overrides it to false, saving the layout copy.
    /// </summary>
    protected virtual bool RunsChannelsLast => true;

    // TorchSharp has no memory_format argument on contiguous(); permuting to NHWC, compacting and permuting
    // back gives the channels-last strides, which libtorch's kernels then propagate layer after layer. With one
    // channel that compaction keeps NCHW strides (the layouts coincide), so the strides are set explicitly.
    private static Tensor ToChannelsLast(Tensor x)
    {
        if (x.shape[1] != 1)
        {
            return x.permute(0, 2, 3, 1).contiguous().permute(0, 3, 1, 2);
        }
        long height = x.shape[2], width = x.shape[3];
        var compact = x.contiguous();
        // TorchSharp's as_strided starts at offset 0 unless told: a narrowed batch would read the first images.
        return compact.as_strided(compact.shape, [height * width, 1, width, 1], compact.storage_offset());
    }

    /// <summary>The one-line error for a method that needs the functional forward of a custom module.</summary>
    public const string ExactNeedsFunctionalForward =
        "a custom classifier module has no functional forward, which the exact hypergradient needs; use hypergrad fd (--hypergrad fd, HypergradMethod.Fd) or a Dabo model";

    /// <summary>
    /// Whether <see cref="Forward"/> accepts any weights, including ones that carry a graph (every Dabo model);
    /// false for a wrapped custom module, which runs with its own parameters only.
    /// </summary>
    public virtual bool IsFunctional => true;

    /// <summary>
    /// Runs <paramref name="body"/> with the network at <paramref name="weights"/> (leaf tensors: no graph into them):
    /// a functional model passes them through; a wrapped module copies them into its own parameters for the call
    /// (gradients of the body's results then belong to those) and restores its parameters and buffers afterwards.
    /// The body's results must not depend on a graph that outlives it.
    /// </summary>
    /// <param name="weights">One tensor per entry of <see cref="Weights"/>.</param>
    /// <param name="body">Receives the weights to pass to <see cref="Forward"/> (and to differentiate against).</param>
    /// <param name="keepBuffers">Restore buffers (BatchNorm running statistics) afterwards even when the weights are the model's own.</param>
    public T WithWeights<T>(IReadOnlyList<Tensor> weights, Func<IReadOnlyList<Tensor>, T> body, bool keepBuffers = true)
    {
        ArgumentNullException.ThrowIfNull(weights);
        ArgumentNullException.ThrowIfNull(body);
        if (IsFunctional)
        {
            return body(weights);
        }
        var own = Weights;
        bool same = weights.Count == own.Count && weights.Select((w, i) => w.Handle == own[i].Handle).All(b => b);
        var savedWeights = new List<Tensor>();
        var savedBuffers = new List<Tensor>();
        var requiresGrad = own.Select(p => p.requires_grad).ToArray();
        try
        {
            using (no_grad())
            {
                if (keepBuffers)
                {
                    savedBuffers.AddRange(buffers().Select(b => b.clone().DetachFromDisposeScope()));
                }
                if (!same)
                {
                    for (int i = 0; i < own.Count; i++)
                    {
                        savedWeights.Add(own[i].detach().clone().DetachFromDisposeScope());
                        own[i].copy_(weights[i]);
                        own[i].requires_grad_(weights[i].requires_grad);
                    }
                }
            }
            return body(own.Cast<Tensor>().ToList());
        }
        finally
        {
            using (no_grad())
            {
                for (int i = 0; i < savedWeights.Count; i++)
                {
                    own[i].copy_(savedWeights[i]);
                    own[i].requires_grad_(requiresGrad[i]);
                    savedWeights[i].Dispose();
                }
                foreach (var (buffer, saved) in buffers().Zip(savedBuffers))
                {
                    buffer.copy_(saved);
                    saved.Dispose();
                }
            }
        }
    }

    /// <summary>Ordinary forward: the module's own weights, BatchNorm per <c>training</c>.</summary>
    /// <param name="input">Images <c>[N, InputChannels, H, W]</c>.</param>
    /// <returns>Logits <c>[N, ClassCount]</c>.</returns>
    public override Tensor forward(Tensor input) =>
        Forward(input, Weights, training ? BatchNormMode.TrainUpdate : BatchNormMode.Eval);

    /// <summary>The network itself, written once against explicit weights (already validated).</summary>
    /// <param name="x">Images <c>[N, InputChannels, H, W]</c>.</param>
    /// <param name="weights">Tensors in <see cref="Weights"/> order.</param>
    /// <param name="mode">BatchNorm behaviour.</param>
    /// <returns>Logits <c>[N, ClassCount]</c>.</returns>
    protected abstract Tensor ForwardCore(Tensor x, IReadOnlyList<Tensor> weights, BatchNormMode mode);

    /// <summary>
    /// Adds the evaluation-mode forward to an ONNX graph and returns the name of the logits; <paramref name="input"/>
    /// names the normalized images. Networks without an ONNX form refuse with one line.
    /// </summary>
    internal virtual string EmitOnnx(OnnxGraph graph, string input) =>
        throw new DaboException($"{Name}: no ONNX export for this network; export small-cnn, resnet18, resnet20 or wrn-D-K runs, or use --format safetensors");

    /// <summary>The evaluation-mode ONNX model of this network (see <see cref="OnnxGraph.Build"/>).</summary>
    internal ModelProto ToOnnx(long height, long width, IReadOnlyList<double> mean, IReadOnlyList<double> std, string docString) =>
        OnnxGraph.Build(Name, [.. named_parameters().Select(p => p.name)], state_dict().ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal),
            InputChannels, ClassCount, height, width, mean, std, docString, EmitOnnx);

    /// <summary>Adds a bias-free convolution (a BatchNorm follows it), Kaiming-normal (fan_out, ReLU).</summary>
    internal ConvLayer Conv(string name, int inChannels, int outChannels, int kernel, int stride = 1)
    {
        var w = empty(outChannels, inChannels, kernel, kernel);
        nn.init.kaiming_normal_(w, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        return new ConvLayer(AddWeight($"{name}.weight", w), stride, padding: kernel / 2);
    }

    /// <summary>Adds a convolution with a zero-initialized bias (no BatchNorm follows it); returns the kernel's index, the bias is next.</summary>
    internal int BiasedConv(string name, int inChannels, int outChannels, int kernel)
    {
        var w = empty(outChannels, inChannels, kernel, kernel);
        nn.init.kaiming_normal_(w, mode: nn.init.FanInOut.FanOut, nonlinearity: nn.init.NonlinearityType.ReLU);
        int index = AddWeight($"{name}.weight", w);
        AddWeight($"{name}.bias", zeros(outChannels));
        return index;
    }

    /// <summary>Adds a BatchNorm with weight 1, bias 0 and registered running statistics.</summary>
    internal BatchNormLayer BatchNorm(string name, int channels)
    {
        int index = AddWeight($"{name}.weight", ones(channels));
        AddWeight($"{name}.bias", zeros(channels));
        var layer = new BatchNormLayer(this, name, index);
        AddBuffer(layer.RunningMeanName, zeros(channels));
        AddBuffer(layer.RunningVarName, ones(channels));
        AddBuffer(layer.BatchesTrackedName, tensor(0L));
        return layer;
    }

    /// <summary>Adds a fully connected layer with PyTorch's default uniform ±1/√fan_in initialization.</summary>
    internal LinearLayer Linear(string name, int inFeatures, int outFeatures)
    {
        double bound = 1.0 / Math.Sqrt(inFeatures);
        var w = empty(outFeatures, inFeatures);
        var b = empty(outFeatures);
        nn.init.uniform_(w, -bound, bound);
        nn.init.uniform_(b, -bound, bound);
        int index = AddWeight($"{name}.weight", w);
        AddWeight($"{name}.bias", b);
        return new LinearLayer(index);
    }

    /// <summary>Sets the number of weight tensors for a subclass that registers its parameters itself.</summary>
    internal void SetWeightCount(int count) => _weightCount = count;

    private int AddWeight(string name, Tensor value)
    {
        // Detached so that a model built inside a caller's dispose scope outlives that scope.
        var parameter = new Parameter(value.DetachFromDisposeScope());
        parameter.DetachFromDisposeScope();
        register_parameter(name, parameter);
        return _weightCount++;
    }

    private void AddBuffer(string name, Tensor value) => register_buffer(name, value.DetachFromDisposeScope());
}
