namespace Dabo.Cli.Commands;

/// <summary>Turns the first Ctrl-C into a cancellation (training stops after the current step, keeping the last epoch's checkpoint).</summary>
public sealed class CancelOnCtrlC : IDisposable
{
    private readonly CancellationTokenSource _source;
    private readonly ConsoleCancelEventHandler _handler;

    /// <summary>Starts listening.</summary>
    public CancelOnCtrlC(CancellationToken outer)
    {
        _source = CancellationTokenSource.CreateLinkedTokenSource(outer);
        _handler = (_, e) =>
        {
            e.Cancel = true;
            _source.Cancel();
        };
        Console.CancelKeyPress += _handler;
    }

    /// <summary>The token to pass to training.</summary>
    public CancellationToken Token => _source.Token;

    /// <inheritdoc />
    public void Dispose()
    {
        Console.CancelKeyPress -= _handler;
        _source.Dispose();
    }
}
