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

    /// <summary>The text cannot be tokenized from here on; <see cref="PyToken.Error"/> says why.</summary>
    Error,
}
