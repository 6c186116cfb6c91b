using Inosync.Configuration;

namespace Inosync.Migration;

/// <summary>How the reader names the Python it does not take (statements, operators, comprehensions) in its errors.</summary>
internal static class PythonUnsupported
{
    public static string DescribeKeywordStatement(PyToken keyword, PyToken next) => keyword.Text switch
    {
        "import" => "an import statement",
        "from" => "a from … import statement",
        "if" or "elif" or "else" => "an if statement",
        "for" => "a for loop",
        "while" => "a while loop",
        "def" => "a function definition",
        "class" => "a class definition",
        "with" => "a with statement",
        "try" or "except" or "finally" => "a try statement",
        "print" => next.IsOperator("(") ? "the function call print(…)" : "a print statement",
        "exec" => "an exec statement",
        "del" => "a del statement",
        "global" or "nonlocal" => $"a {keyword.Text} statement",
        "assert" or "raise" or "return" or "pass" or "break" or "continue" or "yield" => $"a {keyword.Text} statement",
        _ => $"a statement starting with '{keyword.Text}'",
    };

    /// <summary>The error for a token the reader cannot take: what Python construct it starts, when it is one.</summary>
    public static ConfigException Unexpected(PyToken token, string where, string sourceName)
    {
        if (token.Kind == PyTokenKind.Keyword)
        {
            return token.Text switch
            {
                "if" => ConversionErrors.Unsupported(sourceName, token.Position, "a conditional expression (… if … else …)"),
                "for" or "async" => ConversionErrors.Unsupported(sourceName, token.Position, "a comprehension (… for … in …)"),
                "and" or "or" or "not" or "in" or "is" => ConversionErrors.Unsupported(sourceName, token.Position, $"the operator {token.Text}"),
                _ => ConversionErrors.Invalid(sourceName, token.Position, $"unexpected '{token.Text}' {where}"),
            };
        }

        if (token.Kind == PyTokenKind.Operator && token.Text is not ("(" or ")" or "[" or "]" or "{" or "}" or "," or ";" or "=" or ":"))
        {
            return ConversionErrors.Unsupported(sourceName, token.Position, $"the operator {token.Text}");
        }

        if (token.IsOperator(":"))
        {
            return ConversionErrors.Unsupported(sourceName, token.Position, "':' (dicts, slices and annotations)");
        }

        return ConversionErrors.Invalid(sourceName, token.Position, $"unexpected {token.Describe()} {where}");
    }
}
