namespace Inosync.Migration;

/// <summary>The reader's position in the token list, with the lookahead that names what follows a value.</summary>
internal sealed class PyTokenCursor(IReadOnlyList<PyToken> tokens, string sourceName)
{
    private readonly string _sourceName = sourceName;
    private int _index;

    /// <summary>The next token; reaching text the tokenizer could not read raises its error.</summary>
    public PyToken Current => tokens[_index] is { Kind: PyTokenKind.Error } error ? throw error.Error! : tokens[_index];

    /// <summary>A token further ahead, for lookahead only: it does not raise a pending error.</summary>
    public PyToken Peek(int offset) => tokens[Math.Min(_index + offset, tokens.Count - 1)];

    public PyToken Advance()
    {
        PyToken token = Current;
        _index++;
        return token;
    }

    /// <summary>Refuses a call, attribute or subscript after a value, naming it as the user wrote it.</summary>
    public void RejectPostfix(string? dottedName, PyPosition at)
    {
        if (dottedName is null)
        {
            PyToken next = Current;
            if (next.IsOperator("("))
            {
                throw ConversionErrors.Unsupported(_sourceName, next.Position, "a call (…)");
            }

            if (next.IsOperator("."))
            {
                string member = Peek(1).Kind == PyTokenKind.Name ? Peek(1).Text : "";
                throw ConversionErrors.Unsupported(_sourceName, next.Position, Peek(2).IsOperator("(")
                    ? $"the method call .{member}(…)"
                    : $"the attribute .{member}");
            }

            if (next.IsOperator("["))
            {
                throw ConversionErrors.Unsupported(_sourceName, next.Position, "a subscript […]");
            }

            return;
        }

        if (dottedName.EndsWith('(') || dottedName.EndsWith('[') || dottedName.Contains('.', StringComparison.Ordinal))
        {
            string what = dottedName[^1] switch
            {
                '(' => $"the function call {dottedName}…)",
                '[' => $"the subscript {dottedName}…]",
                _ => $"the attribute {dottedName}",
            };
            throw ConversionErrors.Unsupported(_sourceName, at, what);
        }
    }

    /// <summary>From a name: "os.path.join(" for a call, "rpaths[" for a subscript, "os.sep" for an attribute, else the name.</summary>
    public string DescribeDottedName()
    {
        string text = Current.Text;
        int i = 1;
        while (Peek(i).IsOperator(".") && Peek(i + 1).Kind is PyTokenKind.Name or PyTokenKind.Keyword)
        {
            text += "." + Peek(i + 1).Text;
            i += 2;
        }

        if (Peek(i).IsOperator("(") || Peek(i).IsOperator("["))
        {
            text += Peek(i).Text;
        }

        return text;
    }

    /// <summary>
    /// Refuses a conditional, comprehension, lambda or boolean operator anywhere in the statement before evaluating
    /// it: <c>[h + ":" for h in hosts]</c> is a comprehension, which "name 'h' is not defined" would hide.
    /// </summary>
    public void RejectExpressionKeywords()
    {
        for (int i = 0; !Peek(i).EndsStatement; i++)
        {
            PyToken token = Peek(i);
            if (token.Kind == PyTokenKind.Keyword && token.Text is "if" or "for" or "async" or "lambda" or "and" or "or"
                or "not" or "in" or "is" or "await" or "yield")
            {
                throw token.Text is "lambda" or "await" or "yield"
                    ? ConversionErrors.Unsupported(_sourceName, token.Position, $"a {token.Text} expression")
                    : PythonUnsupported.Unexpected(token, "in the value", _sourceName);
            }
        }
    }

    /// <summary>Whether an '=' follows on this logical line outside brackets: <c>a, b = …</c>.</summary>
    public bool AssignsLater()
    {
        int depth = 0;
        for (int i = 0; Peek(i).Kind is not (PyTokenKind.Newline or PyTokenKind.End or PyTokenKind.Error); i++)
        {
            PyToken token = Peek(i);
            if (token.Kind != PyTokenKind.Operator)
            {
                continue;
            }

            depth += token.Text switch { "(" or "[" or "{" => 1, ")" or "]" or "}" => -1, _ => 0 };
            if (depth == 0 && token.Text == "=")
            {
                return true;
            }
        }

        return false;
    }
}
