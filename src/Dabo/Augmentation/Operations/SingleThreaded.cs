using static TorchSharp.torch;

namespace Dabo.Augmentation.Operations;

/// <summary>
/// Runs a block with one libtorch intra-op thread and restores the caller's setting afterwards.
/// The operations of a policy are many small kernels on a few images each; handing each of them to
/// a thread team costs more than it saves (see the data-path table in docs/speed.md).
/// </summary>
/// <remarks>The thread count is process-wide: two trainers in one process would slow each other down while one augments, but compute the same.</remarks>
internal readonly struct SingleThreaded : IDisposable
{
    private readonly int _previous;

    /// <summary>Switches to one thread.</summary>
    public SingleThreaded()
    {
        _previous = get_num_threads();
        if (_previous != 1)
        {
            set_num_threads(1);
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_previous > 1)
        {
            set_num_threads(_previous);
        }
    }
}
