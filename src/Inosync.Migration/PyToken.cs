namespace Inosync.Migration;

/// <summary>One token. Literals carry their value, already decoded.</summary>
internal sealed record PyToken(PyTokenKind Kind, string Text, PyPosition Position, PyValue? Value = null)
{
    /// <summary>For <see cref="PyTokenKind.Error"/>: the error to raise when the parser gets this far.</summary>
    public Configuration.ConfigException? Error { get; init; }

    /// <summary>Whether the logical line (statement) ends before this token.</summary>
    public bool EndsStatement => Kind is PyTokenKind.Newline or PyTokenKind.End or PyTokenKind.Error || IsOperator(";");

    public bool Is(PyTokenKind kind, string text) => Kind == kind && string.Equals(Text, text, StringComparison.Ordinal);

    public bool IsOperator(string text) => Is(PyTokenKind.Operator, text);

    /// <summary>How the token reads in a message: <c>'x'</c>, or "the end of the line".</summary>
    public string Describe() => Kind switch
    {
        PyTokenKind.Newline => "the end of the line",
        PyTokenKind.End => "the end of the file",
        _ => $"'{Text}'",
    };
}
