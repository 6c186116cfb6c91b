namespace Inosync.Migration;

internal enum PyTokenKind
{
    Name,
    Keyword,
    Number,
    String,
    Operator,

    /// <summary>The end of a logical line (brackets and backslashes join physical lines, as in Python).</summary>
    Newline,
    End,
}

/// <summary>One token. Literals carry their value, already decoded.</summary>
internal sealed record PyToken(PyTokenKind Kind, string Text, PyPosition Position, PyValue? Value = null)
{
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
