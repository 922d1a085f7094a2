namespace Dabo;

/// <summary>
/// An error caused by the user's input (a file, a flag, a configuration) rather than by a bug.
/// Its message is one line that names the culprit and says what to do; the CLI prints it
/// without a stack trace and exits with code 2.
/// </summary>
public class DaboException : Exception
{
    /// <summary>Creates the error with a one-line, user-facing message.</summary>
    public DaboException(string message) : base(message) { }

    /// <summary>Creates the error with a one-line message and the low-level cause.</summary>
    public DaboException(string message, Exception inner) : base(message, inner) { }
}
